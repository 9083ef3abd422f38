import type { BotReport } from './bots';

/** A bot process's report before anything happened; also the start of a merge of several. */
export function emptyReport(): BotReport {
  return {
    joinFailures: 0,
    connectMs: [],
    questionArrivals: {},
    questionWritten: {},
    opens: {},
    revealEnds: {},
    lateness: [],
    ackMs: [],
    ackUpMs: [],
    ackDownMs: [],
    ackBotBusyMs: [],
    ackErrors: 0,
    errors: {},
    answers: {},
    finishedArrivals: [],
    finishedBytes: 0,
    questionBytes: 0,
    messages: {},
    complete: 0,
    disconnects: 0,
    loopDelayMaxMs: 0,
  };
}
