import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { infra } from '../helpers/infra';

const run = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(infra().repoRoot, 'dist/src/main.js'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
    timeout: 30_000,
  });

describe('asking the entry point for help', () => {
  it.each(['all', 'api', 'worker', 'socket', 'migrate'])('explains the %s role and exits 0 without starting anything', (role) => {
    const { status, stdout } = run(role, '--help');

    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`^  ${role}: `, 'm'));
    expect(stdout).toContain('docs/configuration.md lists every setting');
  });

  it('lists every role for --help alone, and for no role says the usage and exits 2', () => {
    const help = run('--help');
    const none = run();

    expect(help.status).toBe(0);
    for (const role of ['all', 'api', 'worker', 'socket', 'migrate']) expect(help.stdout).toMatch(new RegExp(`^  ${role}: `, 'm'));
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^usage: node dist\/src\/main\.js <all\|api\|worker\|socket\|migrate>/);
  });
});
