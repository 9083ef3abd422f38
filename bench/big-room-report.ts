import type { Figures } from './big-room';

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '-');
const pct = (share: number) => (Number.isFinite(share) ? (share * 100).toFixed(0) : '-');
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '-');

interface Row {
  label: string;
  show: (f: Figures) => string;
  /** The figure the ratio quizloop / raw is taken of; none when raw has nothing comparable. */
  compare?: (f: Figures) => number;
}

const ROWS: Row[] = [
  { label: 'question open → view, p50 / p99 ms', show: (f) => `${ms(f.fanout.p50)} / ${ms(f.fanout.p99)}`, compare: (f) => f.fanout.p99 },
  { label: '… unanswered / answered questions, p99', show: (f) => `${ms(f.fanoutSilent.p99)} / ${ms(f.fanoutAnswered.p99)}` },
  { label: '… open → written, min / p50 / p99', show: (f) => `${ms(f.fanoutWritten.min)} / ${ms(f.fanoutWritten.p50)} / ${ms(f.fanoutWritten.p99)}` },
  { label: '… written → at the bot, p50 / p99', show: (f) => `${ms(f.fanoutTransit.p50)} / ${ms(f.fanoutTransit.p99)}` },
  { label: 'countdown frame lateness, p50 / p99 ms', show: (f) => `${ms(f.lateness.p50)} / ${ms(f.lateness.p99)}`, compare: (f) => f.lateness.p99 },
  { label: 'answer burst ack, p50 / p99 ms', show: (f) => `${ms(f.ack.p50)} / ${ms(f.ack.p99)}`, compare: (f) => f.ack.p99 },
  { label: '… emit → server stamp, p50 / p99 ms', show: (f) => `${ms(f.ackUp.p50)} / ${ms(f.ackUp.p99)}` },
  { label: '… server stamp → at the bot, p50 / p99', show: (f) => `${ms(f.ackDown.p50)} / ${ms(f.ackDown.p99)}` },
  { label: "… bot's loop busy before, at most, p50 / p99", show: (f) => `${ms(f.ackBotBusy.p50)} / ${ms(f.ackBotBusy.p99)}` },
  { label: "… the server's own (bucket bounds), ms", show: (f) => `${ms(f.serverAck.p50)} / ${ms(f.serverAck.p99)}` },
  { label: 'connect → first view, p50 / p99 ms', show: (f) => `${ms(f.connect.p50)} / ${ms(f.connect.p99)}`, compare: (f) => f.connect.p99 },
  { label: 'question view, KB', show: (f) => kb(f.questionBytes) },
  { label: '`finished` view KB, last player +ms', show: (f) => `${kb(f.finishedBytes)}, ${ms(f.finishedLastMs)}`, compare: (f) => f.finishedLastMs },
  {
    label: 'longest stall, connecting / game ms',
    show: (f) => `${ms(f.stallConnectMs)} / ${ms(f.stallGameMs)}`,
    compare: (f) => Math.max(f.stallConnectMs, f.stallGameMs),
  },
  { label: 'RSS per connected player, KB', show: (f) => f.rssPerPlayerKB.toFixed(1), compare: (f) => f.rssPerPlayerKB },
  {
    label: '… with a full GC before both readings, KB',
    show: (f) => (Number.isFinite(f.rssPerPlayerAfterGcKB) ? f.rssPerPlayerAfterGcKB.toFixed(1) : '-'),
    compare: (f) => f.rssPerPlayerAfterGcKB,
  },
  { label: 'complete players / connected', show: (f) => `${f.complete} / ${f.connected}` },
  { label: 'ack refusals, dropped connections', show: (f) => `${f.ackErrors}, ${f.disconnects}` },
  { label: 'game, s', show: (f) => f.gameSeconds.toFixed(1) },
  { label: 'core busy in fan-out, bots / server %', show: (f) => `${pct(f.busy.fanoutBots)} / ${pct(f.busy.fanoutServer)}` },
  { label: 'core busy in burst, bots / server %', show: (f) => `${pct(f.busy.burstBots)} / ${pct(f.busy.burstServer)}` },
  { label: "bots' longest loop delay, ms", show: (f) => ms(f.busy.botLoopDelayMs) },
];

/** One block per size: quizloop, the raw `ws` baseline of the same run, and quizloop / raw (p99s). */
export function printBigRooms(results: { quizloop: Figures; raw: Figures | null; sockets: number }[]): void {
  for (const { quizloop, raw, sockets } of results) {
    const head = `1 room of ${quizloop.players} players, ${sockets} socket process${sockets === 1 ? '' : 'es'}`;
    console.log(`\n${head.padEnd(40)} ${'quizloop'.padStart(16)} ${'raw ws'.padStart(16)} ${'quizloop/raw'.padStart(13)}`);
    for (const row of ROWS) {
      const r = raw ? row.show(raw) : '';
      const x = raw && row.compare ? ratio(row.compare(quizloop), row.compare(raw)) : '';
      console.log(`${row.label.padEnd(40)} ${row.show(quizloop).padStart(16)} ${r.padStart(16)} ${x.padStart(13)}`);
    }
    for (const [side, f] of [
      ['quizloop', quizloop],
      ['raw ws', raw],
    ] as const) {
      const errors = Object.entries(f?.errors ?? {});
      if (errors.length) console.log(`${side} refusals and failed joins: ${errors.map(([code, n]) => `${code} ×${n}`).join(', ')}`);
    }
    for (const [side, f] of [
      ['quizloop', quizloop],
      ['raw ws', raw],
    ] as const) {
      // Which question sets the fan-out's p99: open → view p50 / p99 (open → written p99, written → at the bot p99), per question,
      // and the share of a core the api, the worker and Redis each used over that fan-out.
      const each = f?.perQuestion.map(
        (q) => `q${q.index}${q.answered ? '*' : ''} ${ms(q.p50)}/${ms(q.p99)} (${ms(q.writtenP99)}, ${ms(q.transitP99)}; ${q.othersBusy.map(pct).join('/')} %)`,
      );
      if (each?.length) console.log(`${side} per question (* answered), p50/p99 ms (written p99, transit p99; api/worker/Redis busy): ${each.join('; ')}`);
    }
    const c = quizloop.cost;
    if (c) {
      console.log(
        `${'cost per message to one player, µs CPU'.padEnd(40)} socket ${c.socketPushUs.toFixed(1)}, Redis ${c.redisPushUs.toFixed(2)}` +
          `\n${'cost per answer, µs CPU'.padEnd(40)} socket ${c.socketAnswerUs.toFixed(1)}, Redis ${c.redisAnswerUs.toFixed(1)}`,
      );
    }
  }
}
