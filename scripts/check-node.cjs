#!/usr/bin/env node
// Runs before `npm start` and `npm test`, on whatever Node is on PATH: plain CommonJS, no syntax
// newer than Node 12, so an old Node gets one clear line instead of a stack trace.
'use strict';
// biome-ignore lint/style/useNodejsImportProtocol: Node 12 has no node: prefix in require, and this must run there.
const path = require('path');
const { engines } = require(path.join(__dirname, '..', 'package.json'));
const satisfies = require('semver/functions/satisfies');

if (!satisfies(process.versions.node, engines.node)) {
  process.stderr.write(
    'quizloop needs Node.js ' +
      engines.node +
      ' (this is ' +
      process.version +
      '): ' +
      'install it with `nvm install` (reads .nvmrc) or from https://nodejs.org\n',
  );
  process.exit(1);
}
