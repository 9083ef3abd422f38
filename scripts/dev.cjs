#!/usr/bin/env node
// `npm run dev`: tsc --build --watch recompiles what changed, and `node --watch` restarts quizloop
// (all roles, as `npm start`) when dist/ changes. Ctrl-C stops both.
'use strict';
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.join(__dirname, '..');
const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '--build', '--watch', '--preserveWatchOutput', path.join(root, 'tsconfig.json')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let app = null;
tsc.stdout.setEncoding('utf8');
tsc.stdout.on('data', (text) => {
  process.stdout.write(text);
  // The first "Found 0 errors" means dist/ is complete: from then on node --watch follows it.
  if (!app && /Found 0 errors/.test(text)) {
    app = spawn(process.execPath, ['--watch-path', path.join(root, 'dist'), '--watch-preserve-output', path.join(root, 'dist', 'src', 'main.js'), 'all'], {
      stdio: 'inherit',
    });
    app.once('exit', (code) => {
      tsc.kill();
      process.exit(code ?? 0);
    });
  }
});
const stop = () => {
  // The terminal's Ctrl-C reaches every child too; wait for quizloop's own shutdown.
  tsc.kill();
  if (!app) process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', () => {
  app?.kill('SIGTERM');
  stop();
});
