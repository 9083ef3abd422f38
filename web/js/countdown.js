// @ts-check
/**
 * A countdown bar and seconds label driven by requestAnimationFrame, drawn from an absolute
 * deadline on the server's clock, so late frames never shorten it.
 * @param {HTMLElement} root an element holding `.countdown-fill` and `.countdown-seconds`
 * @param {{ now(): number }} clock
 */
export function createCountdown(root, clock) {
  const fill = /** @type {HTMLElement} */ (root.querySelector('.countdown-fill'));
  const label = /** @type {HTMLElement} */ (root.querySelector('.countdown-seconds'));
  let deadlineAt = null;
  let totalMs = 1;
  let frame = 0;

  function draw() {
    frame = 0;
    if (deadlineAt === null) return;
    const remaining = Math.max(0, deadlineAt - clock.now());
    fill.style.transform = `scaleX(${Math.min(1, remaining / totalMs)})`;
    label.textContent = String(Math.ceil(remaining / 1000));
    root.classList.toggle('is-urgent', remaining > 0 && remaining <= 5000);
    if (remaining > 0) frame = requestAnimationFrame(draw);
  }

  return {
    /** Counts down to `deadline` (epoch ms, server clock); a full bar stands for `total` ms. */
    set(deadline, total) {
      deadlineAt = deadline;
      totalMs = Math.max(1, total);
      if (!frame) frame = requestAnimationFrame(draw);
    },
    stop() {
      cancelAnimationFrame(frame);
      frame = 0;
      deadlineAt = null;
    },
  };
}
