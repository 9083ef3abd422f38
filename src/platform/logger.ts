import pino from 'pino';
import pretty from 'pino-pretty';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
type Fields = Record<string, unknown>;

/** The logging surface the code uses: a message first, then fields such as `room`, `job`, `err`. */
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
  /** The underlying pino logger, for pino-http. */
  readonly pino: pino.Logger;
}

function wrap(base: pino.Logger): Logger {
  return {
    debug: (msg, f) => base.debug(f ?? {}, msg),
    info: (msg, f) => base.info(f ?? {}, msg),
    warn: (msg, f) => base.warn(f ?? {}, msg),
    error: (msg, f) => base.error(f ?? {}, msg),
    child: (f) => wrap(base.child(f)),
    pino: base,
  };
}

/**
 * Structured JSON logs (one object per line, for log drains), or readable coloured lines when
 * `pretty` (npm start on a terminal, or LOG_PRETTY=1). Every entry carries the process role. A test
 * that reads the lines gives its own `destination`.
 */
export function createLogger(role: string, level: Level = 'info', opts: { pretty?: boolean; destination?: pino.DestinationStream } = {}): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { role },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const stream =
    opts.destination ??
    (opts.pretty
      ? pretty({
          colorize: process.stdout.isTTY,
          translateTime: 'HH:MM:ss.l',
          ignore: 'pid,hostname,role',
          messageFormat: '[{role}] {msg}',
          singleLine: true,
          sync: true,
        })
      : pino.destination({ sync: true }));
  return wrap(pino(options, stream));
}
