import type { ChainableCommander, Cluster, Redis } from 'ioredis';

/** One value of a script's ARGV as sent to Redis. */
export type ArgValue = string | number;

/**
 * How one named ARGV entry is encoded: appended to the call's arguments (no array of its own per value).
 * A `variadic` codec appends any number of values and must come last: it fills ARGV[n..].
 */
export interface ArgCodec<T> {
  readonly encode: (value: T, out: ArgValue[]) => void;
  readonly variadic?: true;
}

const finite = (value: number): number => {
  if (!Number.isFinite(value)) throw new TypeError(`a script argument must be a finite number, not ${value}`);
  return value;
};

/** The ARGV codecs the scripts use. */
export const arg = {
  string: { encode: (v: string, out: ArgValue[]) => void out.push(v) } satisfies ArgCodec<string>,
  number: { encode: (v: number, out: ArgValue[]) => void out.push(finite(v)) } satisfies ArgCodec<number>,
  /** 1 or 0, the way the Lua side compares flags. */
  flag: { encode: (v: boolean, out: ArgValue[]) => void out.push(v ? 1 : 0) } satisfies ArgCodec<boolean>,
  json: <T>(): ArgCodec<T> => ({ encode: (v, out) => void out.push(JSON.stringify(v)) }),
  /** null becomes '' (the scripts read '' as "not given"). */
  orEmpty: <T>(codec: ArgCodec<T>): ArgCodec<T | null> => ({ encode: (v, out) => (v === null ? void out.push('') : codec.encode(v, out)) }),
  /** The rest of ARGV: each item in turn. */
  rest: <T>(codec: ArgCodec<T>): ArgCodec<readonly T[]> => ({
    encode: (vs, out) => {
      for (const v of vs) codec.encode(v, out);
    },
    variadic: true,
  }),
  /** The rest of ARGV: a string and a number, pair after pair. */
  pairs: {
    encode: (vs: readonly (readonly [string, number])[], out: ArgValue[]) => {
      for (const [s, n] of vs) out.push(s, finite(n));
    },
    variadic: true,
  } satisfies ArgCodec<readonly (readonly [string, number])[]>,
};

type Failures = Readonly<Record<number, string>>;

/** A reply that is not what the script's header promises: a bug on one side, never a player's mistake. */
export class ScriptReplyError extends Error {
  override readonly name = 'ScriptReplyError';
  constructor(
    readonly script: string,
    readonly reply: unknown,
    detail: string,
  ) {
    super(`Lua script ${script} replied ${JSON.stringify(reply)}: ${detail}`);
  }
}

/**
 * The one place a script's small negative code becomes its named failure; a code the script's
 * table does not know is a bug, and throws.
 */
export function failureOf<F extends Failures>(script: string, failures: F, reply: unknown, code: number): { ok: false; code: F[keyof F] } {
  if (!Object.hasOwn(failures, code)) {
    const known = Object.keys(failures).join(', ');
    throw new ScriptReplyError(script, reply, `unknown code ${code} (the script's codes are ${known || 'none'})`);
  }
  return { ok: false, code: failures[code] as F[keyof F] };
}

/** An integer reply, or an array of integers, as named fields; a failure is a lone negative first integer. */
function integers(script: string, raw: unknown): number[] {
  const values = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (values.length === 0 || !values.every((v): v is number => Number.isSafeInteger(v))) {
    throw new ScriptReplyError(script, raw, 'expected an integer or an array of integers');
  }
  return values;
}

type Fields<R extends readonly string[]> = { readonly [P in R[number]]: number };

export interface ScriptSpec<
  K extends readonly string[],
  RK extends string,
  A extends Record<string, ArgCodec<never>>,
  F extends Failures,
  R extends readonly string[],
  S,
> {
  /** The command name the script is loaded under on each client (EVALSHA, see redis.ts). */
  command: `ql${string}`;
  lua: string;
  /** KEYS[1..n] by name, in order. */
  keys: K;
  /** KEYS[n+1..]: a list of keys of this name fills the rest. */
  restKeys?: RK;
  /** ARGV by name, in order (a variadic codec last). */
  argv: A;
  /** Each negative code the script can return, and its name. */
  failures: F;
  /** The fields of a successful reply, in order (one for a plain integer reply). */
  reply: R;
  /** When set, the first integer of a success is one of these; any other throws. */
  status?: readonly number[];
  /** What a successful reply means. */
  ok: (fields: Fields<R>) => S;
}

type CodecValue<C> = C extends ArgCodec<infer T> ? T : never;
export type ScriptKeys<K extends readonly string[], RK extends string> = { [P in K[number]]: string } & { [P in RK]: readonly string[] };
export type ScriptArgs<A> = { [P in keyof A]: CodecValue<A[P]> };
/** A script without failure codes always succeeds (any negative reply throws). */
export type ScriptResult<F extends Failures, S> = ({ ok: true } & S) | ([keyof F] extends [never] ? never : { ok: false; code: F[keyof F] });

/** The failure codes of a script's result. */
export type FailureCode<T extends { parse(raw: unknown): unknown }> =
  ReturnType<T['parse']> extends infer R ? (R extends { ok: false; code: infer C } ? C : never) : never;

/** A Redis client with every script loaded as a command (see createRedis). */
export type ScriptCommands = { [command: `ql${string}`]: (...args: ArgValue[]) => Promise<unknown> };

/** A script's key count and KEYS, laid out once by `keyList` for calls that share them. */
export type KeyList<Keys> = readonly ArgValue[] & { readonly __keysOf: Keys };

export interface Script<Keys, Args, Result> {
  readonly command: `ql${string}`;
  readonly lua: string;
  /** Runs the script: KEYS and ARGV are laid out from the names, the key count counted here. */
  run(redis: (Redis | Cluster) & ScriptCommands, keys: Keys, args: Args): Promise<Result>;
  /** The key count and KEYS in the header's order, to keep for many calls on the same keys. */
  keyList(keys: Keys): KeyList<Keys>;
  /** Sends the script on a client at once; its raw reply, to read with `parse`. */
  send(redis: (Redis | Cluster) & ScriptCommands, keys: KeyList<Keys>, args: Args): Promise<unknown>;
  /** Queues the script on a pipeline, to send with others in one write; read its reply with `parse`. */
  queue(pipeline: ChainableCommander, keys: KeyList<Keys>, args: Args): void;
  /** The reply as a result: a failure by its name, a success by `ok`; anything else throws ScriptReplyError. */
  parse(raw: unknown): Result;
}

/**
 * A typed Lua script: named KEYS and ARGV laid out in the order of its header, and its reply parsed
 * into `{ ok: true, ... } | { ok: false, code }`.
 */
export function defineScript<
  const K extends readonly string[],
  const A extends Record<string, ArgCodec<never>>,
  const F extends Failures,
  const R extends readonly string[],
  S extends object,
  const RK extends string = never,
>(spec: ScriptSpec<K, RK, A, F, R, S>): Script<ScriptKeys<K, RK>, ScriptArgs<A>, ScriptResult<F, S>> {
  const argNames = Object.keys(spec.argv);
  argNames.forEach((name, i) => {
    // Object keys keep their written order only when none looks like an array index.
    if (/^\d+$/.test(name)) throw new Error(`${spec.command}: ARGV name "${name}" would reorder the arguments`);
    if (spec.argv[name]?.variadic && i !== argNames.length - 1) throw new Error(`${spec.command}: variadic ARGV "${name}" must come last`);
  });

  const codecs = argNames.map((name) => spec.argv[name] as ArgCodec<unknown>);

  function keyList(keys: ScriptKeys<K, RK>): KeyList<ScriptKeys<K, RK>> {
    const names: string[] = spec.keys.map((name: K[number]) => keys[name]);
    if (spec.restKeys !== undefined) names.push(...(keys as Record<RK, readonly string[]>)[spec.restKeys]);
    return [names.length, ...names] as unknown as KeyList<ScriptKeys<K, RK>>;
  }

  /** The key count, KEYS and ARGV, in the header's order. */
  function layout(keys: KeyList<ScriptKeys<K, RK>>, args: ScriptArgs<A>): ArgValue[] {
    const out = keys.slice();
    for (let i = 0; i < codecs.length; i++) codecs[i]?.encode((args as Record<string, unknown>)[argNames[i] as string], out);
    return out;
  }

  function commandOf(client: ScriptCommands): ScriptCommands[`ql${string}`] {
    const command = client[spec.command];
    if (typeof command !== 'function') throw new Error(`Lua script ${spec.command} is not loaded on this client; createRedis loads every script`);
    return command;
  }

  function parse(raw: unknown): ScriptResult<F, S> {
    const values = integers(spec.command, raw);
    const [first = 0] = values;
    if (first < 0) {
      if (values.length !== 1) throw new ScriptReplyError(spec.command, raw, 'a failure code comes alone');
      // With no codes in its table, failureOf throws: the union's failure side is empty too.
      return failureOf(spec.command, spec.failures, raw, first) as ScriptResult<F, S>;
    }
    if (values.length !== spec.reply.length) {
      throw new ScriptReplyError(spec.command, raw, `expected ${spec.reply.length} integer(s): ${spec.reply.join(', ')}`);
    }
    if (spec.status && !spec.status.includes(first)) {
      throw new ScriptReplyError(spec.command, raw, `unknown status ${first} (expected ${spec.status.join(' or ')})`);
    }
    const fields = Object.fromEntries(spec.reply.map((name, i) => [name, values[i]])) as Fields<R>;
    return { ok: true, ...spec.ok(fields) };
  }

  return {
    command: spec.command,
    lua: spec.lua,
    async run(redis, keys, args) {
      return parse(await commandOf(redis).apply(redis, layout(keyList(keys), args)));
    },
    keyList,
    send(redis, keys, args) {
      return commandOf(redis).apply(redis, layout(keys, args));
    },
    queue(pipeline, keys, args) {
      commandOf(pipeline as unknown as ScriptCommands).apply(pipeline, layout(keys, args));
    },
    parse,
  };
}
