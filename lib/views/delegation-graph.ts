// Who delegated to whom in a task, laid out left to right by chain depth: the initiating human, the
// agents and sub-agents at their depth, then the tools/resources they reached. Delegation edges carry
// the scopes the child held (and which of those its parent never had); call edges carry the actions
// and how they were decided. Pure: positions are computed here, the component only draws them.
import type { TimelineHop } from "./swimlanes.ts";

export type GraphNodeKind = "human" | "agent" | "workload" | "client" | "unknown" | "target";

export interface GraphNode {
  id: string;
  label: string;
  kind: GraphNodeKind;
  column: number;
  x: number;
  y: number;
  hopCount: number;
  denyCount: number;
  flagged: boolean;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  type: "delegation" | "call";
  /** Delegation: scopes the child held on its hops (union). */
  scopes: string[];
  /** Delegation: the child's scopes its parent was never seen holding (attenuation broken). */
  widenedScopes: string[];
  /** Call: actions performed. */
  actions: string[];
  allow: number;
  deny: number;
  other: number;
  flagCodes: string[];
  /** Every hop behind this edge joined the task only by inference. */
  inferred: boolean;
  hopIds: string[];
}

export interface DelegationGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
  /** Less-used targets folded into one "+N more" node to keep the drawing readable (huge tasks). */
  hiddenTargets: number;
}

export const GRAPH_LAYOUT = { columnWidth: 360, rowHeight: 72, nodeWidth: 170, nodeHeight: 40, margin: 20, maxTargets: 12 };

type Acc = Omit<GraphEdge, "scopes" | "actions" | "flagCodes" | "hopIds" | "inferred"> & {
  scopes: Set<string>;
  actions: Set<string>;
  flagCodes: Set<string>;
  hopIds: string[];
  inferredHops: number;
};

export function buildDelegationGraph(hops: TimelineHop[]): DelegationGraph {
  const nodes = new Map<string, Omit<GraphNode, "x" | "y">>();
  const edges = new Map<string, Acc>();
  const node = (id: string, label: string, kind: GraphNodeKind, column: number) => {
    const existing = nodes.get(id);
    if (existing) {
      // An actor seen at several depths sits at its shallowest one.
      if (kind !== "target") existing.column = Math.min(existing.column, column);
      return existing;
    }
    const created = { id, label, kind, column, hopCount: 0, denyCount: 0, flagged: false };
    nodes.set(id, created);
    return created;
  };
  const edge = (from: string, to: string, type: GraphEdge["type"]) => {
    const id = `${type}:${from}->${to}`;
    let e = edges.get(id);
    if (!e) {
      e = { id, from, to, type, scopes: new Set(), widenedScopes: [], actions: new Set(), allow: 0, deny: 0, other: 0, flagCodes: new Set(), hopIds: [], inferredHops: 0 };
      edges.set(id, e);
    }
    return e;
  };

  for (const h of hops) {
    const path = h.chain.map((m, i) => node(`actor:${m.id}`, m.id, m.kind === "human" && i === 0 ? "human" : (m.kind as GraphNodeKind), i));
    for (let i = 1; i < path.length; i++) {
      const e = edge(path[i - 1].id, path[i].id, "delegation");
      // The hop's scopes were delegated to its acting actor, the last link; earlier links are only named.
      if (i === path.length - 1) {
        for (const s of h.delegatedScopes) e.scopes.add(s);
        for (const f of h.flags) e.flagCodes.add(f.code);
        e.hopIds.push(h.hopId);
        if (h.inferred) e.inferredHops++;
      }
    }
    const actor = path[path.length - 1];
    if (actor) {
      actor.hopCount++;
      if (h.decision === "deny") actor.denyCount++;
      if (h.flags.length) actor.flagged = true;
    }
    const targetLabel = h.target.tool ?? h.resource;
    const target = node(`target:${targetLabel}`, targetLabel, "target", 0);
    target.hopCount++;
    if (h.decision === "deny") target.denyCount++;
    if (h.flags.length) target.flagged = true;
    if (actor) {
      const e = edge(actor.id, target.id, "call");
      e.actions.add(h.action);
      e[h.decision]++;
      for (const f of h.flags) e.flagCodes.add(f.code);
      e.hopIds.push(h.hopId);
      if (h.inferred) e.inferredHops++;
    }
  }

  // Widened scopes: what a child held beyond everything its parent was delegated.
  const heldBy = new Map<string, Set<string>>();
  for (const e of edges.values()) {
    if (e.type !== "delegation" || e.scopes.size === 0) continue;
    const held = heldBy.get(e.to) ?? new Set<string>();
    for (const s of e.scopes) held.add(s);
    heldBy.set(e.to, held);
  }
  for (const e of edges.values()) {
    const parentHeld = heldBy.get(e.from);
    if (e.type === "delegation" && parentHeld && nodes.get(e.from)?.kind !== "human") {
      e.widenedScopes = [...e.scopes].filter((s) => !parentHeld.has(s));
    }
  }

  // Columns: actors by depth; targets one column right of the deepest actor.
  const actorNodes = [...nodes.values()].filter((n) => n.kind !== "target");
  const targetColumn = actorNodes.reduce((m, n) => Math.max(m, n.column), -1) + 1;
  let targets = [...nodes.values()].filter((n) => n.kind === "target");
  targets.sort((a, b) => b.hopCount - a.hopCount || a.label.localeCompare(b.label));
  const hiddenTargets = Math.max(targets.length - GRAPH_LAYOUT.maxTargets, 0);
  if (hiddenTargets > 0) {
    // The long tail becomes one node, so the drawing stays readable and no call disappears.
    const hidden = new Set(targets.slice(GRAPH_LAYOUT.maxTargets).map((t) => t.id));
    const others = { id: "target:(others)", label: `+${hiddenTargets} more tools/resources`, kind: "target" as const, column: 0, hopCount: 0, denyCount: 0, flagged: false };
    for (const t of targets.slice(GRAPH_LAYOUT.maxTargets)) {
      others.hopCount += t.hopCount;
      others.denyCount += t.denyCount;
      others.flagged ||= t.flagged;
      nodes.delete(t.id);
    }
    nodes.set(others.id, others);
    for (const e of [...edges.values()]) {
      if (!hidden.has(e.to)) continue;
      edges.delete(e.id);
      const merged = edge(e.from, others.id, e.type);
      for (const a of e.actions) merged.actions.add(a);
      for (const f of e.flagCodes) merged.flagCodes.add(f);
      merged.allow += e.allow;
      merged.deny += e.deny;
      merged.other += e.other;
      merged.hopIds.push(...e.hopIds);
      merged.inferredHops += e.inferredHops;
    }
    targets = [...targets.slice(0, GRAPH_LAYOUT.maxTargets), others];
  }
  for (const t of targets) t.column = targetColumn;

  const columns = new Map<number, Omit<GraphNode, "x" | "y">[]>();
  for (const n of [...actorNodes, ...targets]) {
    const list = columns.get(n.column) ?? [];
    list.push(n);
    columns.set(n.column, list);
  }
  const { columnWidth, rowHeight, nodeWidth, nodeHeight, margin } = GRAPH_LAYOUT;
  const maxRows = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const height = maxRows * rowHeight + margin * 2;
  const placed: GraphNode[] = [];
  for (const [column, list] of [...columns.entries()].sort((a, b) => a[0] - b[0])) {
    const offset = ((maxRows - list.length) * rowHeight) / 2;
    list.forEach((n, row) => {
      placed.push({ ...n, x: margin + column * columnWidth, y: margin + offset + row * rowHeight + (rowHeight - nodeHeight) / 2 });
    });
  }
  const columnCount = Math.max(targetColumn + (targets.length ? 1 : 0), 1);
  return {
    nodes: placed,
    edges: [...edges.values()].map(({ scopes, actions, flagCodes, inferredHops, ...e }) => ({
        ...e,
        scopes: [...scopes],
        actions: [...actions],
        flagCodes: [...flagCodes],
        inferred: e.hopIds.length > 0 && inferredHops === e.hopIds.length,
      })),
    width: margin * 2 + (columnCount - 1) * columnWidth + nodeWidth,
    height,
    hiddenTargets,
  };
}
