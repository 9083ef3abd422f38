#!/usr/bin/env node
// The image's HEALTHCHECK: asks the running role (read from PID 1's command line) for GET /health on
// its own port. Exit 0 healthy, 1 not.
'use strict';
const { readFileSync } = require('node:fs');

const role = readFileSync('/proc/1/cmdline', 'utf8').split('\0').filter(Boolean).pop();
const env = process.env;
const ports = {
  api: env.PORT || '3000',
  all: env.PORT || '3000',
  socket: env.SOCKET_PORT || env.PORT || '3001',
  worker: env.METRICS_PORT || '9091',
};
const port = ports[role];
// migrate runs once and exits: nothing to ask.
if (!port) process.exit(0);
fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
