// Arithmetic on arbitrary-precision integers (bigint past 2^53) and doubles; `-`, `&`, `|` on sets.
import { BuiltinError } from "../errors.ts";
import { RegoSet, type Value, normalizeNumber, typeName } from "../values/value.ts";
import { num, register, typeError } from "./registry.ts";

type Num = number | bigint;

function isInt(n: Num): boolean {
  return typeof n === "bigint" || Number.isInteger(n);
}

/** Applies an integer-exact operation when both operands are integers and the result may overflow doubles. */
function arith(a: Num, b: Num, f: (x: number, y: number) => number, g: (x: bigint, y: bigint) => bigint): Num {
  if (isInt(a) && isInt(b)) {
    if (typeof a === "number" && typeof b === "number") {
      const r = f(a, b);
      if (Number.isSafeInteger(r)) return r;
    }
    return normalizeNumber(g(BigInt(a), BigInt(b)));
  }
  return f(Number(a), Number(b));
}

function checkNums(fn: string, args: Value[]): [Num, Num] {
  return [num(fn, args, 0), num(fn, args, 1)];
}

register("plus", 2, (args) => {
  const [a, b] = checkNums("plus", args);
  return arith(a, b, (x, y) => x + y, (x, y) => x + y);
});
register("mul", 2, (args) => {
  const [a, b] = checkNums("mul", args);
  return arith(a, b, (x, y) => x * y, (x, y) => x * y);
});
register("minus", 2, ([a, b]) => {
  if (a instanceof RegoSet || b instanceof RegoSet) {
    if (!(a instanceof RegoSet)) throw typeError("minus", 2, "number", b);
    if (!(b instanceof RegoSet)) throw new BuiltinError(`minus: operand 2 must be set but got ${typeName(b)}`, "eval_type_error");
    const out = new RegoSet();
    for (const [k, v] of a.map) if (!b.map.has(k)) out.add(v);
    return out;
  }
  if (typeof a !== "number" && typeof a !== "bigint") throw typeError("minus", 1, "number", a);
  if (typeof b !== "number" && typeof b !== "bigint") throw typeError("minus", 2, "number", b);
  return arith(a, b, (x, y) => x - y, (x, y) => x - y);
});
register("div", 2, (args) => {
  const [a, b] = checkNums("div", args);
  if (Number(b) === 0) throw new BuiltinError("div: divide by zero");
  if (isInt(a) && isInt(b) && (typeof a === "bigint" || typeof b === "bigint")) {
    const x = BigInt(a);
    const y = BigInt(b);
    if (x % y === 0n) return normalizeNumber(x / y);
  }
  return Number(a) / Number(b);
});
register("rem", 2, (args) => {
  const [a, b] = checkNums("rem", args);
  if (!isInt(a) || !isInt(b)) throw new BuiltinError("rem: modulo on floating-point number");
  if (Number(b) === 0) throw new BuiltinError("rem: modulo by zero");
  return arith(a, b, (x, y) => x % y, (x, y) => x % y);
});
register("abs", 1, (args) => {
  const a = num("abs", args, 0);
  return typeof a === "bigint" ? (a < 0n ? -a : a) : Math.abs(a);
});
const rounding = (name: string, f: (x: number) => number) =>
  register(name, 1, (args) => {
    const a = num(name, args, 0);
    return typeof a === "bigint" ? a : f(a);
  });
rounding("round", (x) => (x < 0 ? -Math.round(-x) : Math.round(x)));
rounding("ceil", Math.ceil);
rounding("floor", Math.floor);

function setOp(name: string, f: (a: RegoSet, b: RegoSet) => RegoSet) {
  register(name, 2, ([a, b]) => {
    if (!(a instanceof RegoSet)) throw typeError(name, 1, "set", a);
    if (!(b instanceof RegoSet)) throw typeError(name, 2, "set", b);
    return f(a, b);
  });
}
setOp("and", (a, b) => RegoSet.from([...a.values()].filter((v) => b.has(v))));
setOp("or", (a, b) => RegoSet.from([...a.values(), ...b.values()]));

register("numbers.range", 2, (args) => {
  const [a, b] = checkNums("numbers.range", args);
  if (!isInt(a)) throw new BuiltinError("numbers.range: operand 1 must be integer number but got floating-point number", "eval_type_error");
  if (!isInt(b)) throw new BuiltinError("numbers.range: operand 2 must be integer number but got floating-point number", "eval_type_error");
  const out: Value[] = [];
  const x = Number(a);
  const y = Number(b);
  if (x <= y) for (let i = x; i <= y; i++) out.push(i);
  else for (let i = x; i >= y; i--) out.push(i);
  return out;
});
register("numbers.range_step", 3, (args) => {
  const [a, b] = checkNums("numbers.range_step", args);
  const s = num("numbers.range_step", args, 2);
  if (!isInt(s) || Number(s) <= 0) throw new BuiltinError("numbers.range_step: step must be a positive integer");
  const out: Value[] = [];
  const x = Number(a);
  const y = Number(b);
  const st = Number(s);
  if (x <= y) for (let i = x; i <= y; i += st) out.push(i);
  else for (let i = x; i >= y; i -= st) out.push(i);
  return out;
});
