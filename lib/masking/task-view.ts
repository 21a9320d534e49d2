// Masking the task page. Each hop's hop document (its delegation facts, actor chain, target, action,
// PDP, policy) goes through the rules; every string value masked in any hop is then replaced wherever
// the page shows it (hop panel fields, swimlane labels, the delegation graph, the task summary, flag
// texts). Distinct masked values get distinct markers ("•••• masked (email #2)") so the timeline and the
// graph keep their structure: two people stay two lanes. The hop panel gets, per field, the pointer into
// that hop's own document for its Reveal control. Pure.
import type { TaskDetail, TaskHopView } from "../tasks/queries.ts";
import type { SwimlaneModel, TimelineHop } from "../views/swimlanes.ts";
import { resourceLabel } from "../views/swimlanes.ts";
import { hopDocument } from "./hop-document.ts";
import { maskJson, maskMarker, valueAtPointer } from "./mask.ts";
import type { RuleSet } from "./rules.ts";

export interface FieldMask {
  label: string;
  /** Pointer into the hop document of this hop (POST /api/reveal source "hop"). */
  pointer: string;
}

export interface MaskedTaskView {
  task: TaskDetail;
  model: SwimlaneModel;
  /** hop id → panel field ("principal", "presenter", "chain.0", "token.jti", …) → reveal target. */
  fields: Record<string, Record<string, FieldMask>>;
}

export function taskHopDocument(h: TaskHopView) {
  return hopDocument({
    action: h.action,
    resourceKind: h.resource.kind,
    resourceId: h.resource.id,
    pdpInstance: h.pdpInstance,
    policy: h.policy,
    initiatingHuman: h.initiatingHuman,
    actorChain: h.actorChain,
    facts: h.facts,
  });
}

function stringLeaves(node: unknown, pointer: string, out: [string, string][]): void {
  if (typeof node === "string") out.push([node, pointer]);
  else if (Array.isArray(node)) node.forEach((v, i) => stringLeaves(v, `${pointer}/${i}`, out));
  else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) stringLeaves(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, out);
  }
}

export function maskTaskView(task: TaskDetail, model: SwimlaneModel, rules: RuleSet): MaskedTaskView {
  // Original value → its marker (numbered per label), and per hop: value → pointer in that hop's document.
  const markers = new Map<string, string>();
  const perLabel = new Map<string, number>();
  const perHop = new Map<string, Map<string, FieldMask>>();
  for (const h of task.hops) {
    const doc = taskHopDocument(h);
    const { masked } = maskJson(doc, rules);
    if (masked.length === 0) continue;
    const own = new Map<string, FieldMask>();
    for (const m of masked) {
      const leaves: [string, string][] = [];
      stringLeaves(valueAtPointer(doc, m.pointer), m.pointer, leaves);
      for (const [value, pointer] of leaves) {
        if (!own.has(value)) own.set(value, { label: m.label, pointer });
        if (!markers.has(value)) {
          const n = (perLabel.get(m.label) ?? 0) + 1;
          perLabel.set(m.label, n);
          markers.set(value, maskMarker(`${m.label} #${n}`));
        }
      }
    }
    perHop.set(h.hopId, own);
  }
  if (markers.size === 0) return { task: { ...task, hops: [] }, model, fields: {} };

  const mask = (v: string | null): string | null => (v === null ? null : (markers.get(v) ?? v));
  const maskAll = (vs: string[]) => vs.map((v) => markers.get(v) ?? v);
  // Flag reasons are sentences naming actors: replace the masked values inside them, longest first.
  const ordered = [...markers.keys()].sort((a, b) => b.length - a.length);
  const maskText = (text: string) => ordered.reduce((t, v) => (t.includes(v) ? t.split(v).join(markers.get(v)!) : t), text);

  const fields: MaskedTaskView["fields"] = {};
  const byId = new Map(task.hops.map((h) => [h.hopId, h]));
  const hops: TimelineHop[] = model.hops.map((t) => {
    const own = perHop.get(t.hopId);
    const f: Record<string, FieldMask> = {};
    const note = (key: string, v: string | null) => {
      const m = v !== null && markers.has(v) ? own?.get(v) : undefined;
      if (m) f[key] = m;
    };
    t.chain.forEach((c, i) => note(`chain.${i}`, c.id));
    note("presenter", t.presenter);
    note("principal", t.principal);
    t.mayAct?.forEach((a, i) => note(`mayAct.${i}`, a));
    note("token.iss", t.token?.iss ?? null);
    note("token.jti", t.token?.jti ?? null);
    note("txn", t.txn?.txn ?? null);
    note("target.uri", t.target.uri);
    note("target.tool", t.target.tool);
    note("action", t.action);
    note("pdp", t.pdpInstance);
    note("policy", t.policy);
    const src = byId.get(t.hopId);
    note("resource.id", src?.resource.id ?? null);
    if (Object.keys(f).length) fields[t.hopId] = f;
    return {
      ...t,
      chain: t.chain.map((c) => ({ ...c, id: mask(c.id)! })),
      presenter: mask(t.presenter),
      principal: mask(t.principal),
      mayAct: t.mayAct ? maskAll(t.mayAct) : null,
      token: t.token ? { ...t.token, iss: mask(t.token.iss), jti: mask(t.token.jti), aud: maskAll(t.token.aud) } : null,
      txn: t.txn ? { ...t.txn, txn: mask(t.txn.txn)!, reqWl: maskAll(t.txn.reqWl), purpose: mask(t.txn.purpose) } : null,
      trace: { traceId: mask(t.trace.traceId), spanId: mask(t.trace.spanId), parentSpanId: mask(t.trace.parentSpanId) },
      target: { tool: mask(t.target.tool), mcpServer: mask(t.target.mcpServer), mcpMethod: mask(t.target.mcpMethod), uri: mask(t.target.uri) },
      action: mask(t.action)!,
      pdpInstance: mask(t.pdpInstance)!,
      policy: mask(t.policy),
      resource: src ? resourceLabel({ kind: mask(src.resource.kind), id: mask(src.resource.id) }) : t.resource,
      delegatedScopes: maskAll(t.delegatedScopes),
      audience: maskAll(t.audience),
      flags: t.flags.map((fl) => ({ ...fl, reason: maskText(fl.reason) })),
    };
  });
  const maskedModel: SwimlaneModel = { ...model, hops, lanes: model.lanes.map((l) => ({ ...l, actor: mask(l.actor)! })) };
  const maskedTask: TaskDetail = {
    ...task,
    // The unmasked hops stay here: the page renders hops from the masked model only.
    hops: [],
    initiatingHuman: mask(task.initiatingHuman),
    actors: maskAll(task.actors),
    evidence: task.evidence.map((e) => ({ ...e, value: markers.get(e.value) ?? e.value })),
    resources: task.resources.map((r) => {
      if (markers.has(r)) return markers.get(r)!;
      const i = r.indexOf(":");
      return i > 0 && markers.has(r.slice(i + 1)) ? `${r.slice(0, i)}:${markers.get(r.slice(i + 1))}` : r;
    }),
  };
  return { task: maskedTask, model: maskedModel, fields };
}
