#!/usr/bin/env node
// `npm run build` and the build step of `npm start`: compiles only what changed since the last build
// (tsc --build keeps its record in dist/.tsbuildinfo), and says so while it works.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const first = !existsSync(path.join(root, 'dist', '.tsbuildinfo'));
process.stderr.write(
  first
    ? 'quizloop: compiling the TypeScript sources into dist/ (the first time takes up to a minute; later starts recompile only what changed)\n'
    : 'quizloop: compiling what changed since the last start\n',
);
const tsc = require.resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '--build', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
process.exit(result.status ?? 1);
