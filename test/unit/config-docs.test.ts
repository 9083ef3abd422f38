import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/platform/config';

const docs = readFileSync(path.join(__dirname, '../../docs/configuration.md'), 'utf8');
/** The names in the first cell of each table row, e.g. `| \`PORT\` |` or `| \`A\`, \`B\` |`. */
const documented = new Set(
  docs.split('\n').flatMap((line) => (line.startsWith('| ') ? [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]) : [])),
);

describe('docs/configuration.md', () => {
  it('has a row for every setting config.ts reads', () => {
    expect(SETTING_NAMES.length).toBeGreaterThan(50);
    expect(SETTING_NAMES.filter((name) => !documented.has(name))).toEqual([]);
  });
});
