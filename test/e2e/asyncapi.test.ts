import { Parser } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AsyncApiDocument, buildAsyncApiDocument } from '../../src/api/docs/asyncapi';
import { type Game, openGame } from '../helpers/game';
import { RecordingClient } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

/** A validator built from the document's own JSON Schema for a message (not from our zod schemas), refs resolved. */
function documentedPayload(doc: AsyncApiDocument, messageName: string): z.ZodType {
  const message = Object.values(doc.components.messages).find((m) => m.name === messageName);
  if (!message?.payload) throw new Error(`no documented payload for ${messageName}`);
  const local = <T>(v: T): T => JSON.parse(JSON.stringify(v).replaceAll('"#/components/schemas/', '"#/$defs/')) as T;
  const component = message.payload.$ref.replace('#/components/schemas/', '');
  return z.fromJSONSchema({ ...local(doc.components.schemas[component]), $defs: local(doc.components.schemas) });
}

async function parse(doc: unknown) {
  return new Parser().parse(JSON.stringify(doc));
}

describe('the AsyncAPI document of the socket', () => {
  let stack: Stack;
  let game: Game;
  let served: AsyncApiDocument;

  beforeAll(async () => {
    stack = await Stack.start('asyncapi');
    served = (await stack.api.request<AsyncApiDocument>('GET', '/asyncapi.json')).body;
    game = await openGame(stack, { questionCount: 1, questionSeconds: 4, revealSeconds: 1 }, 2);
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    game?.closeAll();
    await stack?.stop();
  });

  it('is served at /asyncapi.json as built', () => {
    expect(served).toEqual(JSON.parse(JSON.stringify(buildAsyncApiDocument())));
  });

  it('describes every payload and ack a real game sends, refusals and a refused handshake included', async () => {
    const [first, second] = game.players;
    await stack.api.start(game.code, game.hostToken);
    await first?.client.waitForQuestion(0);
    await first?.client.submit(0, 0);
    await second?.client.submit(0, 99);
    await second?.client.submitRaw({ questionIndex: 0, choice: 0, text: 'both' });
    await first?.client.sync();
    await Promise.all(game.clients().map((c) => c.waitFor('room:closed', (f) => f.event === 'room:closed', 30_000)));
    const refusal = await RecordingClient.refusal(stack.socketUrl, 'not a token');

    const frames = game
      .clients()
      .flatMap((c) => c.frames)
      .filter((f) => !f.event.startsWith('client:'));
    const seen = new Set(frames.map((f) => f.event));
    for (const f of frames) {
      const name = f.event.startsWith('ack:') ? `${f.event.slice(4)} ack` : f.event;
      expect(documentedPayload(served, name).safeParse(f.payload).error, `${name}: ${JSON.stringify(f.payload)}`).toBeUndefined();
    }
    expect([...seen].sort()).toEqual(['ack:answer:submit', 'ack:room:sync', 'room:closed', 'room:countdown', 'room:view', 'room:you']);
    expect(frames.filter((f) => f.event === 'ack:answer:submit' && !f.payload.ok)).toHaveLength(2);
    expect(refusal).not.toBe('connected');
    const errorBody = z.fromJSONSchema(served.components.schemas.ErrorBody ?? {});
    expect(errorBody.safeParse(refusal === 'connected' ? null : refusal.data).error).toBeUndefined();
  });

  it('is a valid AsyncAPI 3 document, by the AsyncAPI parser, without a warning', async () => {
    const { document, diagnostics } = await parse(served);

    expect(diagnostics.map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(document?.version()).toMatch(/^3\./);
    expect(document?.operations().length).toBe(Object.keys(served.operations).length);
  });

  it('is refused by that parser when an operation names a channel that does not exist', async () => {
    const broken = JSON.parse(JSON.stringify(served)) as AsyncApiDocument;
    const first = Object.values(broken.operations)[0];
    if (first) first.channel = { $ref: '#/channels/nowhere' };

    const { document, diagnostics } = await parse(broken);

    expect(document).toBeUndefined();
    expect(diagnostics.length).toBeGreaterThan(0);
  });
});
