// Completeness signals for the manifest: auditors "examine for gaps in sequence or timing". Leaf indices
// cannot have gaps (the log assigns them gaplessly and the checkpoint root commits to every one), so the
// sequence check is on the log as a whole; timing gaps are reported per PDP, and conflicting records
// (same key, different content: possible tampering at the source) are listed.
import type { EvidenceRecord } from "./collect.ts";

export const DEFAULT_GAP_THRESHOLD_SECONDS = 3600;

export interface TimeGap {
  engine: string;
  pdpInstance: string;
  /** Last record before the silence (or the range start), first after it (or the range end). */
  from: string;
  to: string;
  seconds: number;
  edge?: "start" | "end";
}

export interface GapReport {
  thresholdSeconds: number;
  sequence: { treeSize: number; recordsInLog: number; contiguous: boolean; note: string };
  timeGaps: TimeGap[];
  conflicts: { leafIndex: number; engine: string; pdpInstance: string; recordKey: string }[];
}

export function detectGaps(
  records: EvidenceRecord[],
  opts: { thresholdSeconds: number; treeSize: number; recordsInLog: number; range: { from: Date | null; to: Date | null } | null },
): GapReport {
  const byPdp = new Map<string, EvidenceRecord[]>();
  for (const r of records) {
    const k = `${r.engine}\u0001${r.pdpInstance}`;
    const list = byPdp.get(k) ?? [];
    list.push(r);
    byPdp.set(k, list);
  }
  const limitMs = opts.thresholdSeconds * 1000;
  const timeGaps: TimeGap[] = [];
  for (const [k, list] of [...byPdp.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [engine, pdpInstance] = k.split("\u0001");
    const times = list.map((r) => Date.parse(r.decidedAt)).sort((a, b) => a - b);
    const push = (from: number, to: number, edge?: "start" | "end") => {
      if (to - from > limitMs) {
        timeGaps.push({ engine, pdpInstance, from: new Date(from).toISOString(), to: new Date(to).toISOString(), seconds: Math.round((to - from) / 1000), ...(edge ? { edge } : {}) });
      }
    };
    if (opts.range?.from) push(opts.range.from.getTime(), times[0], "start");
    for (let i = 1; i < times.length; i++) push(times[i - 1], times[i]);
    if (opts.range?.to) push(times[times.length - 1], opts.range.to.getTime(), "end");
  }
  const contiguous = opts.recordsInLog === opts.treeSize;
  return {
    thresholdSeconds: opts.thresholdSeconds,
    sequence: {
      treeSize: opts.treeSize,
      recordsInLog: opts.recordsInLog,
      contiguous,
      note: contiguous
        ? "every leaf index below the checkpoint's tree size holds exactly one record; the checkpoint root commits to all of them"
        : "the log has fewer records than leaves below the checkpoint: records are missing from the database",
    },
    timeGaps,
    conflicts: records
      .filter((r) => r.isConflict)
      .map((r) => ({ leafIndex: r.leafIndex, engine: r.engine, pdpInstance: r.pdpInstance, recordKey: r.recordKey })),
  };
}
