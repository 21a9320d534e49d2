// strings.render_template: the subset of Go's text/template used in policies — {{.field}},
// {{$var}}, {{if}}/{{else}}/{{end}}, {{range $i, $v := .list}}. Missing keys render "<undefined>"
// as OPA does; other actions are rejected rather than rendered differently.
import { BuiltinError } from "../errors.ts";
import { regoString } from "../values/format.ts";
import { RegoObject, RegoSet, type Value } from "../values/value.ts";
import { register, str } from "./registry.ts";

type Node =
  | { kind: "text"; text: string }
  | { kind: "value"; expr: string }
  | { kind: "if"; expr: string; then: Node[]; otherwise: Node[] }
  | { kind: "range"; key?: string; value?: string; expr: string; body: Node[] };

function parse(src: string): Node[] {
  const tokens = src.split(/(\{\{-?\s*[\s\S]*?\s*-?\}\})/);
  let i = 0;
  const block = (stops: string[]): { nodes: Node[]; stop: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (!t.startsWith("{{")) {
        if (t) nodes.push({ kind: "text", text: t });
        continue;
      }
      const action = t.replace(/^\{\{-?\s*|\s*-?\}\}$/g, "");
      const word = action.split(/\s+/)[0];
      if (stops.includes(word)) return { nodes, stop: word };
      if (word === "if") {
        const then = block(["else", "end"]);
        const otherwise = then.stop === "else" ? block(["end"]).nodes : [];
        nodes.push({ kind: "if", expr: action.slice(2).trim(), then: then.nodes, otherwise });
      } else if (word === "range") {
        const m = /^range\s+(?:(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*)?(.+)$/.exec(action);
        if (!m) throw new BuiltinError(`strings.render_template: unsupported action {{${action}}}`);
        const body = block(["end"]).nodes;
        nodes.push({ kind: "range", key: m[2] ? m[1] : undefined, value: m[2] ?? m[1], expr: m[3].trim(), body });
      } else nodes.push({ kind: "value", expr: action });
    }
    return { nodes, stop: "" };
  };
  return block([]).nodes;
}

function lookupPath(expr: string, dot: Value, vars: Map<string, Value>): Value | undefined {
  const m = /^(\$\w*|\.)?((?:\.[\w]+)*)$/.exec(expr.trim());
  if (!m) throw new BuiltinError(`strings.render_template: unsupported expression ${expr}`);
  let cur: Value | undefined = m[1]?.startsWith("$") ? vars.get(m[1]) : dot;
  for (const seg of (m[2] ?? "").split(".").filter(Boolean)) cur = cur instanceof RegoObject ? cur.get(seg) : undefined;
  return cur;
}

function truthy(v: Value | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof RegoObject || v instanceof RegoSet) return v.size > 0;
  return true;
}

function render(nodes: Node[], dot: Value, vars: Map<string, Value>): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "text") out += n.text;
    else if (n.kind === "value") {
      const v = lookupPath(n.expr, dot, vars);
      out += v === undefined ? "<undefined>" : typeof v === "string" ? v : regoString(v);
    } else if (n.kind === "if") out += render(truthy(lookupPath(n.expr, dot, vars)) ? n.then : n.otherwise, dot, vars);
    else {
      const coll = lookupPath(n.expr, dot, vars);
      const entries: [Value, Value][] = Array.isArray(coll) ? coll.map((v, i) => [i, v]) : coll instanceof RegoObject ? coll.sortedEntries() : coll instanceof RegoSet ? coll.sorted().map((v, i) => [i, v]) : [];
      for (const [k, v] of entries) {
        const inner = new Map(vars);
        if (n.key) inner.set(n.key, k);
        if (n.value) inner.set(n.value, v);
        out += render(n.body, v, inner);
      }
    }
  }
  return out;
}

register("strings.render_template", 2, (a) => {
  const vars = a[1];
  if (!(vars instanceof RegoObject)) throw new BuiltinError("strings.render_template: operand 2 must be object", "eval_type_error");
  return render(parse(str("strings.render_template", a, 0)), vars, new Map());
});
