// cel-go ext.Math: greatest/least, abs, sign, ceil/floor/round/trunc, isNaN/isInf/isFinite,
// sqrt and the bit operations.
import type { Environment } from "@marcbachmann/cel-js";
import { CelRuntimeError } from "./errors.ts";
import { registerNamespace } from "./namespace.ts";



function asComparable(v: unknown): number | bigint {
  if (typeof v === "number" || typeof v === "bigint") return v;
  if (typeof v === "object" && v !== null && "value" in v) return (v as { value: bigint }).value;
  throw new CelRuntimeError("no such overload");
}

function extreme(values: unknown[], pickGreater: boolean): unknown {
  if (values.length === 0) throw new CelRuntimeError(`math.${pickGreater ? "greatest" : "least"}() requires at least one argument`);
  let best = values[0];
  for (const v of values.slice(1)) {
    const a = asComparable(v);
    const b = asComparable(best);
    if (pickGreater ? a > b : a < b) best = v;
  }
  return best;
}

function int(v: bigint): bigint {
  if (v > 9223372036854775807n || v < -9223372036854775808n) throw new CelRuntimeError("integer overflow");
  return v;
}

export function registerMath(env: Environment): void {
  const ns = registerNamespace(env, "math");
  for (const name of ["greatest", "least"] as const) {
    const greater = name === "greatest";
    env.registerFunction(`${ns}.${name}(list): dyn`, (_: unknown, l: unknown[]) => extreme(l, greater));
    env.registerFunction(`${ns}.${name}(int): int`, (_: unknown, x: bigint) => x);
    env.registerFunction(`${ns}.${name}(double): double`, (_: unknown, x: number) => x);
    for (let n = 2; n <= 6; n++) {
      const params = new Array(n).fill("dyn").join(", ");
      env.registerFunction(`${ns}.${name}(${params}): dyn`, (_: unknown, ...args: unknown[]) =>
        extreme(args, greater),
      );
    }
  }
  const dbl = (name: string, f: (x: number) => number) => env.registerFunction(`${ns}.${name}(double): double`, (_: unknown, x: number) => f(x));
  dbl("ceil", Math.ceil);
  dbl("floor", Math.floor);
  dbl("round", (x) => (x < 0 ? -Math.round(-x) : Math.round(x)));
  dbl("trunc", Math.trunc);
  dbl("sqrt", Math.sqrt);
  env
    .registerFunction(`${ns}.sqrt(int): double`, (_: unknown, x: bigint) => Math.sqrt(Number(x)))
    .registerFunction(`${ns}.abs(int): int`, (_: unknown, x: bigint) => int(x < 0n ? -x : x))
    .registerFunction(`${ns}.abs(double): double`, (_: unknown, x: number) => Math.abs(x))
    .registerFunction(`${ns}.sign(int): int`, (_: unknown, x: bigint) => (x > 0n ? 1n : x < 0n ? -1n : 0n))
    .registerFunction(`${ns}.sign(double): double`, (_: unknown, x: number) => Math.sign(x))
    .registerFunction(`${ns}.isNaN(double): bool`, (_: unknown, x: number) => Number.isNaN(x))
    .registerFunction(`${ns}.isInf(double): bool`, (_: unknown, x: number) => x === Infinity || x === -Infinity)
    .registerFunction(`${ns}.isFinite(double): bool`, (_: unknown, x: number) => Number.isFinite(x))
    .registerFunction(`${ns}.bitAnd(int, int): int`, (_: unknown, a: bigint, b: bigint) => a & b)
    .registerFunction(`${ns}.bitOr(int, int): int`, (_: unknown, a: bigint, b: bigint) => a | b)
    .registerFunction(`${ns}.bitXor(int, int): int`, (_: unknown, a: bigint, b: bigint) => a ^ b)
    .registerFunction(`${ns}.bitNot(int): int`, (_: unknown, a: bigint) => ~a)
    .registerFunction(`${ns}.bitShiftLeft(int, int): int`, (_: unknown, a: bigint, b: bigint) => {
      if (b < 0n) throw new CelRuntimeError(`math.bitShiftLeft() negative offset: ${b}`);
      return b > 63n ? 0n : BigInt.asIntN(64, a << b);
    })
    .registerFunction(`${ns}.bitShiftRight(int, int): int`, (_: unknown, a: bigint, b: bigint) => {
      if (b < 0n) throw new CelRuntimeError(`math.bitShiftRight() negative offset: ${b}`);
      return b > 63n ? 0n : BigInt.asIntN(64, BigInt.asUintN(64, a) >> b);
    });

}
