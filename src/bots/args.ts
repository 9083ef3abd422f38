import { parseArgs } from 'node:util';

export interface BotOptions {
  api: string;
  socket: string;
  room: string | null;
  host: boolean;
  passphrase: string | null;
  players: number;
  questions: number;
  seconds: number;
  reveal: number;
  category: string | null;
  difficulty: 'easy' | 'medium' | 'hard' | null;
  skipRate: number;
}

export const HELP = `quizloop bots: Socket.IO players that answer at random times.

  npm run bots -- --room CODE --players N     join N bots to a room a host will start
  npm run bots -- --host --players N          create a room, start it and play it through

With --host the bots sign in to one bot host account, registered on the first run and kept for each
api URL in $DATA_DIR/bots.json (default .data/bots.json, mode 0600); they register a new one when it
no longer signs in (after .data was deleted) or has used up its rooms.

The api lets one address join 60 players a minute (RATE_LIMIT_JOIN_ADDRESS): more bots than that
take a minute more for every 60 (they wait and go on), unless the server's limit is raised
(docs/configuration.md).

Options:
  --api URL          api base URL            (default $QUIZLOOP_API_URL or http://localhost:3000)
  --socket URL       socket base URL         (default $QUIZLOOP_SOCKET_URL or the api URL)
  --players N        number of bots, 1-500   (default 10)
  --passphrase P     the passphrase of a private room; with --host, makes the room private
  --questions N      with --host: questions  (default 5)
  --seconds S        with --host: seconds per question (default 10)
  --reveal S         with --host: seconds of reveal    (default 3)
  --category NAME    with --host: category, e.g. Science
  --difficulty D     with --host: easy | medium | hard
  --skip-rate R      chance a bot lets a question pass, 0-1 (default 0.1)
`;

export function parseBotArgs(argv: string[]): BotOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      api: { type: 'string' },
      socket: { type: 'string' },
      room: { type: 'string' },
      host: { type: 'boolean', default: false },
      passphrase: { type: 'string' },
      players: { type: 'string', default: '10' },
      questions: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '10' },
      reveal: { type: 'string', default: '3' },
      category: { type: 'string' },
      difficulty: { type: 'string' },
      'skip-rate': { type: 'string', default: '0.1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    return n;
  };
  if (!values.host && !values.room) throw new Error('give --room CODE to join a room, or --host to create one');
  const difficulty = values.difficulty ?? null;
  if (difficulty !== null && !['easy', 'medium', 'hard'].includes(difficulty)) throw new Error('--difficulty must be easy, medium or hard');
  const skipRate = Number(values['skip-rate']);
  if (!(skipRate >= 0 && skipRate <= 1)) throw new Error('--skip-rate must be between 0 and 1');
  const api = (values.api ?? process.env.QUIZLOOP_API_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  return {
    api,
    // The api serves Socket.IO too unless the sockets run apart (SOCKETS_ON_API=false).
    socket: (values.socket ?? process.env.QUIZLOOP_SOCKET_URL ?? api).replace(/\/$/, ''),
    room: values.room ? values.room.trim().toUpperCase() : null,
    host: values.host ?? false,
    passphrase: values.passphrase ?? null,
    players: int('players', values.players ?? '10', 1, 500),
    questions: int('questions', values.questions ?? '5', 1, 50),
    seconds: int('seconds', values.seconds ?? '10', 3, 120),
    reveal: int('reveal', values.reveal ?? '3', 1, 60),
    category: values.category ?? null,
    difficulty: difficulty as BotOptions['difficulty'],
    skipRate,
  };
}
