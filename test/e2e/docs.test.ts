import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack, printLogsOnFailure } from '../helpers/stack';

describe('the api docs, as the built api serves them', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('docs', ['api']);
  });

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the OpenAPI document at /openapi.json', async () => {
    const res = await stack.api.request<{ openapi: string; paths: Record<string, unknown> }>('GET', '/openapi.json');

    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toContain('/rooms/{code}/players');
  });

  it('serves the docs page at /docs with Swagger UI from node_modules, no CDN', async () => {
    const page = await fetch(`${stack.apiUrl}/docs`);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');

    expect(page.status).toBe(200);
    expect(assets).toContain('/docs/swagger-ui-bundle.js');
    expect(assets.filter((a) => !a.startsWith('/docs/'))).toEqual([]);
    for (const asset of assets) expect((await fetch(stack.apiUrl + asset)).status, asset).toBe(200);
  });
});
