/**
 * The default case of an exhaustive `switch` over a discriminated union: a new member fails to compile
 * until it has its case. Reached at run time only by a value the types ruled out; it throws, naming it.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${String(JSON.stringify(value)).slice(0, 200)}`);
}
