/** `node dist/src/main.js --help` and `<role> --help`: what each role does and the settings it reads. */

const COMMON = `  Common settings: REDIS_URL, DATABASE_URL, JWT_SECRET, WEBHOOK_SECRET (both required when
  NODE_ENV=production), QUIZLOOP_NAMESPACE, LOG_LEVEL, LOG_FORMAT. docs/configuration.md lists every setting.`;

export const ROLE_HELP = {
  all: `all: every role in one process, for a laptop (what npm start runs).
  Starts a local redis-server when REDIS_URL is unset and an embedded PostgreSQL when DATABASE_URL is
  unset (data under DATA_DIR, .data by default), migrates, then runs the api (serving Socket.IO on the
  same port), the worker and, with SOCKETS_ON_API=false, a socket process on SOCKET_PORT.
  Ctrl-C stops everything, the local servers last.
  Settings: PORT (3000), METRICS_PORT (9091, the worker's), PUBLIC_URL, DATA_DIR, QUIZLOOP_AUTO_INSTALL.`,
  api: `api: the REST api, the web client, the internal webhooks the worker calls, and (unless
  SOCKETS_ON_API=false) Socket.IO on the same port. The only writer of a room's lifecycle.
  Settings: PORT (3000), PUBLIC_URL, PUBLIC_SOCKET_URL, SOCKETS_ON_API, ADMIN_USER/ADMIN_PASSWORD,
  NICKNAME_BLOCKLIST; admins are granted with \`grant-admin <email>\`. Health: GET /health, /ready, /metrics.`,
  worker: `worker: turns room events into BullMQ jobs (prepare-room, advance, persist-results,
  housekeeping, reconcile) and runs them, and draws the countdown ticks on its own timers; calls the
  api's webhooks at API_INTERNAL_URL. Run as many as you like.
  Settings: API_INTERNAL_URL, WORKER_CONCURRENCY, REDIS_HZ, METRICS_PORT (9091: /health, /ready, /metrics).`,
  socket: `socket: a Socket.IO process of its own, for scaling the sockets apart from the api; players
  and hosts connect here when the pages are given PUBLIC_SOCKET_URL. Needs REDIS_URL only.
  Settings: SOCKET_PORT (else PORT, else 3001). Health: GET /health, /ready, /metrics on that port.`,
  migrate: `migrate: applies the knex migrations (and the starter question bank) and exits; the
  Procfile's release phase. Needs DATABASE_URL only.`,
} as const;

/** The operator's one-off commands beside the roles (src/main.ts). */
const ADMIN_HELP = `  grant-admin <email>, revoke-admin <email>: gives an existing account the admin role, or takes it
  back, from its next sign-in, and exits. Uses DATABASE_URL, or without it (outside production)
  the embedded PostgreSQL that npm start keeps in DATA_DIR, running or not.`;

export type Role = keyof typeof ROLE_HELP;
export const ROLES = Object.keys(ROLE_HELP) as Role[];

export function helpText(role?: Role): string {
  const usage = `usage: node dist/src/main.js <${ROLES.join('|')}> [--help]\n       node dist/src/main.js <grant-admin|revoke-admin> <email>`;
  if (role) return `${usage}\n\n  ${ROLE_HELP[role]}\n\n${COMMON}\n`;
  return `${usage}\n\n${ROLES.map((r) => `  ${ROLE_HELP[r]}`).join('\n\n')}\n\n${ADMIN_HELP}\n\n${COMMON}\n`;
}
