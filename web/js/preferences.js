// @ts-check
import { byId, loadStored, store } from './dom.js';

/** Sound and motion, each on or off, kept per browser. Motion starts off when the system asks for reduced motion. */
const KEY = 'quizloop.preferences';
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const prefs = { sound: true, motion: !reducedMotion, ...loadStored(KEY) };
let audio = null;

function apply() {
  // CSS turns every animation and transition off under [data-motion="off"].
  document.documentElement.dataset.motion = prefs.motion ? 'on' : 'off';
  for (const name of ['sound', 'motion']) {
    const button = byId(`pref-${name}`);
    button.setAttribute('aria-pressed', String(prefs[name]));
    button.textContent = `${name === 'sound' ? 'Sound' : 'Motion'}: ${prefs[name] ? 'on' : 'off'}`;
  }
}

/** Wires the two toggle buttons of the page's top bar. */
export function initPreferences() {
  for (const name of ['sound', 'motion']) {
    byId(`pref-${name}`).addEventListener('click', () => {
      prefs[name] = !prefs[name];
      store(KEY, prefs);
      apply();
    });
  }
  apply();
}

const TONES = { question: [660, 0.08], right: [880, 0.18], wrong: [220, 0.25] };

/**
 * A short tone when sound is on: a new question, a right or a wrong answer. Browsers let a page play
 * sound only after a tap on it, which joining a game is.
 * @param {'question' | 'right' | 'wrong'} what
 */
export function playCue(what) {
  if (!prefs.sound || typeof AudioContext !== 'function') return;
  audio ??= new AudioContext();
  const [frequency, seconds] = TONES[what];
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + seconds);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + seconds);
}
