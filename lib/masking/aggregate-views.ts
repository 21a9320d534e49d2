// Masking the views that show values gathered from many decisions (the task list, trends rankings and
// spike contributors; more below): each
// value is matched as the hop-document field it is (value-markers.ts), so the same rules that mask an
// explorer cell mask it here. These views offer no Reveal (a row is not one record); a masked value
// shows its numbered marker, and links that would carry it in their URL are left out. Pure.
import type { ExplorerFilters, FilterParam } from "../explorer/query-params.ts";
import type { FlipCount, FlipDimension, FlipRow } from "../replay/impact-report.ts";
import type { TaskSummary } from "../tasks/queries.ts";
import type { RankedValue, SpikeWithContributors } from "../trends/dashboard.ts";
import type { TopDimension } from "../views/trends-links.ts";
import { type MaskedCell, maskHopRow } from "./hop-document.ts";
import { maskMarker } from "./mask.ts";
import type { RuleSet } from "./rules.ts";
import { type ValueField, ValueMasker } from "./value-markers.ts";

/** A row of an aggregate view; `masked` says its value is a marker (render it without a link). */
export type Masked<T> = T & { masked?: boolean };

export function masker(rules: RuleSet): ValueMasker {
  return new ValueMasker(rules);
}

/**
 * The task list's rows: initiating human, actors and resources masked; everything a row carries to
 * the browser goes through here (resources are not a column but travel in the row). Task keys and
 * ids stay: they name the task (its URL) and the task page shows them as they are.
 */
export function maskTaskSummaries(tasks: TaskSummary[], m: ValueMasker): TaskSummary[] {
  return tasks.map((t) => ({
    ...t,
    initiatingHuman: m.text(t.initiatingHuman, "initiatingHuman"),
    actors: t.actors.map((a) => m.text(a, "actor")),
    resources: t.resources.map((r) => m.resource(r).text),
  }));
}

/** Which hop-document field each trends dimension counts (resources are "kind:id", tools resource ids). */
const TREND_FIELD: Record<Exclude<TopDimension, "resource">, ValueField> = {
  action: "action",
  kind: "resourceKind",
  principal: "principalId",
  agent: "actingAgent",
  policy: "policy",
  tool: "resourceId",
};

function maskTrendValue(dim: TopDimension, value: string, m: ValueMasker): { value: string; masked?: boolean } {
  if (dim === "resource") {
    const r = m.resource(value);
    return r.masked ? { value: r.text, masked: true } : { value };
  }
  const hit = m.mask(value, TREND_FIELD[dim]);
  return hit ? { value: hit.marker, masked: true } : { value };
}

export type TrendsTop = Partial<Record<TopDimension, Masked<RankedValue>[]>>;

/** Top denied values per dimension, masked (the page renders a masked one without its drill-through link). */
export function maskTrendsTop(top: Partial<Record<TopDimension, RankedValue[]>>, m: ValueMasker): TrendsTop {
  const out: TrendsTop = {};
  for (const [dim, items] of Object.entries(top) as [TopDimension, RankedValue[] | undefined][]) {
    if (items) out[dim] = items.map((item) => ({ ...item, ...maskTrendValue(dim, item.value, m) }));
  }
  return out;
}

export type MaskedSpike = Omit<SpikeWithContributors, "contributors"> & { contributors: Masked<SpikeWithContributors["contributors"][number]>[] };

/** Deny spikes with their top contributors masked. */
export function maskSpikes(spikes: SpikeWithContributors[], m: ValueMasker): MaskedSpike[] {
  return spikes.map((s) => ({ ...s, contributors: s.contributors.map((c) => ({ ...c, ...maskTrendValue(c.dimension, c.value, m) })) }));
}

const FLIP_FIELD: Record<FlipDimension, ValueField> = { action: "action", kind: "resourceKind", principal: "principalId", agent: "actingAgent", policy: "policy" };

/** Flip counts by one dimension, masked ("(none)" stands for no value and stays). */
export function maskFlipCounts(dim: FlipDimension, counts: FlipCount[], m: ValueMasker): Masked<FlipCount>[] {
  return counts.map((c) => {
    const hit = c.value === "(none)" ? null : m.mask(c.value, FLIP_FIELD[dim]);
    return hit ? { ...c, value: hit.marker, masked: true } : c;
  });
}

/**
 * One flipped decision, masked like an explorer row (plain markers): the hop columns by their
 * hop-document pointers, the logged policy as /policy (it is the hop's policy, so it reveals through
 * the hop); the candidate's policy by the same rule, but it is not in the hop document: no reveal.
 */
export function maskFlipRow(f: FlipRow, rules: RuleSet): { row: FlipRow; masked: Record<string, MaskedCell> } {
  const { row, masked } = maskHopRow(f, rules);
  const out: FlipRow = { ...row };
  const cells: Record<string, MaskedCell> = { ...masked };
  const from = f.fromPolicy === null ? undefined : maskHopRow({ policy: f.fromPolicy }, rules).masked.policy;
  if (from) {
    out.fromPolicy = maskMarker(from.label);
    cells.fromPolicy = from;
  }
  const to = f.toPolicy === null ? undefined : maskHopRow({ policy: f.toPolicy }, rules).masked.policy;
  if (to) out.toPolicy = maskMarker(to.label);
  return { row: out, masked: cells };
}

/** A page of flips: the rows and, per hop id, which fields reveal through the hop document. */
export function maskFlipRows(rows: FlipRow[], rules: RuleSet): { rows: FlipRow[]; masked: Record<string, Record<string, MaskedCell>> } {
  const masked: Record<string, Record<string, MaskedCell>> = {};
  const out = rows.map((f) => {
    const m = maskFlipRow(f, rules);
    if (Object.keys(m.masked).length) masked[f.hopId] = m.masked;
    return m.row;
  });
  return { rows: out, masked };
}

/** Explorer filters that name hop values; the rest (times, engine, effect, policy version and source) are not sensitive. */
const FILTER_FIELD: Partial<Record<FilterParam, ValueField>> = {
  pdp: "pdpInstance",
  principal: "principalId",
  agent: "actingAgent",
  role: "role",
  action: "action",
  kind: "resourceKind",
  rid: "resourceId",
  policy: "policy",
  q: "text",
};

/**
 * Saved explorer filters (an impact run's scope, typed by whoever started it), masked for everyone who
 * reads them; `masked` says a link built from them would carry a masked value.
 */
export function maskExplorerFilters(filters: ExplorerFilters, m: ValueMasker): { filters: ExplorerFilters; masked: boolean } {
  const out: ExplorerFilters = { ...filters };
  let masked = false;
  for (const [key, field] of Object.entries(FILTER_FIELD) as [FilterParam, ValueField][]) {
    const hit = m.mask(filters[key], field);
    if (hit) {
      out[key] = hit.marker;
      masked = true;
    }
  }
  return { filters: out, masked };
}
