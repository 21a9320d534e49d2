// Compares the two maintained JS CEL libraries on the official CEL conformance data shipped in
// @bufbuild/cel-spec and on evaluation speed for a Cerbos-style condition. Prints pass counts per
// file and evals/s. Run: npx tsx bench/cel-libraries.ts
import { isCelError, parse as bufParse, plan as bufPlan, celEnv, run as bufRun } from "@bufbuild/cel";
import { strings as bufStrings } from "@bufbuild/cel/ext";
import { tests as conformance } from "@bufbuild/cel-spec/testdata/conformance.js";
import { Environment } from "@marcbachmann/cel-js";
import { compileCel } from "../lib/engine/cerbos/cel/environment.ts";

type Json = Record<string, unknown>;
interface Case {
  file: string;
  name: string;
  expr: string;
  expect: { value: unknown } | { error: true };
}

// ---- expected values (cel.expr.Value JSON) to comparable plain values --------------------
const SKIP = Symbol("skip");
function fromValue(v: Json): unknown {
  if ("nullValue" in v) return null;
  if ("boolValue" in v) return v.boolValue;
  if ("int64Value" in v) return Number(v.int64Value);
  if ("uint64Value" in v) return Number(v.uint64Value);
  if ("doubleValue" in v) return typeof v.doubleValue === "string" ? Number(v.doubleValue) : v.doubleValue;
  if ("stringValue" in v) return v.stringValue;
  if ("bytesValue" in v) return { bytes: Buffer.from(String(v.bytesValue), "base64").toString("hex") };
  if ("listValue" in v) return ((v.listValue as Json).values as Json[] | undefined ?? []).map(fromValue);
  if ("mapValue" in v) {
    const out: [unknown, unknown][] = [];
    for (const e of ((v.mapValue as Json).entries as Json[] | undefined) ?? []) out.push([fromValue(e.key as Json), fromValue(e.value as Json)]);
    return { map: out };
  }
  return SKIP; // objectValue, typeValue, enumValue: library-specific representations
}

function collect(): Case[] {
  const out: Case[] = [];
  const walk = (suite: { name: string; suites?: unknown[]; tests?: { original: Json }[] }, file: string) => {
    for (const t of suite.tests ?? []) {
      const o = t.original;
      if (o.bindings || o.container || o.typeEnv || o.disableMacros) continue;
      if (o.value && typeof o.value === "object") {
        const value = fromValue(o.value as Json);
        if (value === SKIP) continue;
        out.push({ file, name: String(o.name), expr: String(o.expr), expect: { value } });
      } else if (o.evalError) out.push({ file, name: String(o.name), expr: String(o.expr), expect: { error: true } });
    }
    for (const s of (suite.suites ?? []) as (typeof suite)[]) walk(s, file || s.name);
  };
  for (const s of (conformance.suites ?? []) as { name: string }[]) walk(s as never, s.name);
  return out;
}

// ---- actual values to comparable plain values ------------------------------------------
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString("hex") };
  if (typeof v === "object" && "value" in (v as object) && typeof (v as { value: unknown }).value === "bigint") return Number((v as { value: bigint }).value);
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map || (typeof v === "object" && typeof (v as Map<unknown, unknown>).entries === "function" && typeof (v as Map<unknown, unknown>).get === "function")) {
    return { map: [...(v as Map<unknown, unknown>).entries()].map(([k, x]) => [plain(k), plain(x)]) };
  }
  if (typeof v === "object" && Symbol.iterator in (v as object)) return [...(v as Iterable<unknown>)].map(plain);
  if (typeof v === "object" && (v as object).constructor === Object) return { map: Object.entries(v as Json).map(([k, x]) => [k, plain(x)]) };
  return { other: String(v) };
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object") {
    if ("map" in a && "map" in b) {
      const ma = (a as { map: [unknown, unknown][] }).map;
      const mb = (b as { map: [unknown, unknown][] }).map;
      return ma.length === mb.length && ma.every(([k, v]) => mb.some(([k2, v2]) => same(k, k2) && same(v, v2)));
    }
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}

type Runner = (expr: string) => { value: unknown } | { error: true };

const marcEnv = new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: true });
const runners: Record<string, Runner> = {
  "@bufbuild/cel 0.6.1": (expr) => {
    const r = bufRun(expr, {}, { funcs: bufStrings });
    return isCelError(r) ? { error: true } : { value: plain(r) };
  },
  "@marcbachmann/cel-js 8.0.0": (expr) => {
    try {
      return { value: plain(marcEnv.evaluate(expr)) };
    } catch {
      return { error: true };
    }
  },
  "marcbachmann + Hindsight Cerbos env": (expr) => {
    const c = compileCel(expr);
    if (!c.ok) return { error: true };
    try {
      return { value: plain(c.program.run({} as never)) };
    } catch {
      return { error: true };
    }
  },
};

function conformanceReport(): Record<string, { pass: number; total: number; byFile: Record<string, number> }> {
  const cases = collect();
  const report: Record<string, { pass: number; total: number; byFile: Record<string, number> }> = {};
  for (const [lib, runner] of Object.entries(runners)) {
    const r = { pass: 0, total: cases.length, byFile: {} as Record<string, number> };
    for (const c of cases) {
      let got: { value: unknown } | { error: true };
      if (process.env.CEL_BENCH_TRACE) process.stderr.write(`${lib} ${c.file}/${c.name}\n`);
      try {
        got = runner(c.expr);
      } catch {
        got = { error: true };
      }
      const ok = "error" in c.expect ? "error" in got : "value" in got && same(got.value, c.expect.value);
      if (ok) {
        r.pass++;
        r.byFile[c.file] = (r.byFile[c.file] ?? 0) + 1;
      }
    }
    report[lib] = r;
  }
  const totals: Record<string, number> = {};
  for (const c of cases) totals[c.file] = (totals[c.file] ?? 0) + 1;
  console.log(`CEL conformance (@bufbuild/cel-spec 0.6.1 simple tests without bindings/containers whose expected result is a plain value or an error): ${cases.length} cases`);
  const libs = Object.keys(report);
  console.log(["file".padEnd(18), "total", ...libs.map((l) => l.slice(0, 22).padStart(24))].join(" "));
  for (const file of Object.keys(totals).sort()) {
    console.log([file.padEnd(18), String(totals[file]).padStart(5), ...libs.map((l) => String(report[l]!.byFile[file] ?? 0).padStart(24))].join(" "));
  }
  console.log(["TOTAL".padEnd(18), String(cases.length).padStart(5), ...libs.map((l) => `${report[l]!.pass} (${((100 * report[l]!.pass) / cases.length).toFixed(1)}%)`.padStart(24))].join(" "));
  return report;
}

// ---- speed -------------------------------------------------------------------------------
const EXPR = 'R.attr.owner == P.id && ("admin" in P.roles || P.attr.teams.exists(t, t == "design")) && R.attr.amount < 10000';
const INPUT = {
  P: { id: "alice", roles: ["user"], attr: { teams: ["sales", "design"] } },
  R: { attr: { owner: "alice", amount: 5000 } },
};

function toCel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === "object") return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  return v;
}

function measure(name: string, fn: () => unknown): number {
  for (let i = 0; i < 20_000; i++) fn();
  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const rate = n / secs;
  console.log(`${name.padEnd(58)} ${Math.round(rate).toLocaleString("en-US").padStart(12)} evals/s  (${((secs / n) * 1e6).toFixed(2)} µs/eval)`);
  return rate;
}

function speedReport(): Record<string, number> {
  console.log(`\nSpeed: parse once, evaluate 200k times: ${EXPR}`);
  const out: Record<string, number> = {};
  const marc = new Environment({ unlistedVariablesAreDyn: true }).parse(EXPR);
  if (marc(INPUT) !== true) throw new Error("marcbachmann gave the wrong answer");
  out["@marcbachmann/cel-js (plain JS input)"] = measure("@marcbachmann/cel-js (plain JS input)", () => marc(INPUT));
  const ours = compileCel(EXPR);
  if (!ours.ok) throw new Error(ours.error);
  const act = { ...INPUT, request: {}, runtime: {}, constants: {}, C: {}, variables: {}, V: {}, globals: {}, G: {} };
  out["Hindsight Cerbos env on @marcbachmann/cel-js"] = measure("Hindsight Cerbos env on @marcbachmann/cel-js", () => ours.program.run(act as never));
  const env = celEnv({ funcs: bufStrings });
  const planned = bufPlan(env, bufParse(EXPR));
  if (planned({ P: toCel(INPUT.P), R: toCel(INPUT.R) } as never) !== true) throw new Error("bufbuild gave the wrong answer");
  out["@bufbuild/cel (plain JS input converted per eval)"] = measure("@bufbuild/cel (plain JS input converted per eval)", () => planned({ P: toCel(INPUT.P), R: toCel(INPUT.R) } as never));
  const pre = { P: toCel(INPUT.P), R: toCel(INPUT.R) };
  out["@bufbuild/cel (input pre-converted to Maps)"] = measure("@bufbuild/cel (input pre-converted to Maps)", () => planned(pre as never));
  return out;
}

const conf = conformanceReport();
const speed = speedReport();
if (process.argv.includes("--json")) console.log(JSON.stringify({ conformance: conf, speed }));
