// The derived views shipped next to the raw records: hops (one row per decision) and the timeline (one
// row per record, in time order), each as JSON and CSV. They are conveniences re-derivable from the
// records; the raw records and their proofs are the evidence.
import type { EvidenceHop, EvidenceRecord } from "./collect.ts";

export interface TimelineEntry {
  at: string;
  leafIndex: number;
  engine: string;
  pdpInstance: string;
  kind: string;
  recordKey: string;
  recordFile: string;
  hops: number;
  allow: number;
  deny: number;
  other: number;
  principals: string[];
  agents: string[];
  actions: string[];
  isConflict: boolean;
}

const HOP_CSV_COLUMNS: (keyof EvidenceHop)[] = [
  "decidedAt", "leafIndex", "engine", "pdpInstance", "method", "recordKey", "requestId", "inputIndex", "principalId", "roles",
  "actingAgent", "action", "resourceKind", "resourceId", "effect", "policy", "scope", "policyVersion", "policySourceRef", "derivedRoles", "isConflict",
];

const TIMELINE_CSV_COLUMNS: (keyof TimelineEntry)[] = [
  "at", "leafIndex", "engine", "pdpInstance", "kind", "recordKey", "recordFile", "hops", "allow", "deny", "other", "principals", "agents", "actions", "isConflict",
];

/** records/000000123.json: zero-padded so a plain directory listing sorts by leaf index. */
export function recordFileName(r: Pick<EvidenceRecord, "leafIndex" | "rawBytes">): string {
  let ext = "bin";
  try {
    JSON.parse(r.rawBytes.toString("utf8"));
    ext = "json";
  } catch {
    // Not JSON as received (e.g. a truncated line kept verbatim): still exported, byte-exact, as .bin.
  }
  return `records/${String(r.leafIndex).padStart(9, "0")}.${ext}`;
}

export function buildTimeline(records: EvidenceRecord[], hops: EvidenceHop[], fileOf: Map<number, string>): TimelineEntry[] {
  const hopsByLeaf = new Map<number, EvidenceHop[]>();
  for (const h of hops) {
    const list = hopsByLeaf.get(h.leafIndex) ?? [];
    list.push(h);
    hopsByLeaf.set(h.leafIndex, list);
  }
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))].sort();
  return records
    .map((r) => {
      const hs = hopsByLeaf.get(r.leafIndex) ?? [];
      const allow = hs.filter((h) => h.effect === "allow").length;
      const deny = hs.filter((h) => h.effect === "deny").length;
      return {
        at: r.decidedAt,
        leafIndex: r.leafIndex,
        engine: r.engine,
        pdpInstance: r.pdpInstance,
        kind: r.kind,
        recordKey: r.recordKey,
        recordFile: fileOf.get(r.leafIndex)!,
        hops: hs.length,
        allow,
        deny,
        other: hs.length - allow - deny,
        principals: distinct(hs.map((h) => h.principalId)),
        agents: distinct(hs.map((h) => h.actingAgent)),
        actions: distinct(hs.map((h) => h.action)),
        isConflict: r.isConflict,
      };
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.leafIndex - b.leafIndex));
}

// Spreadsheet programs execute cells starting with these; an attacker-chosen principal id must not
// become a formula on an auditor's machine. hops.json keeps the exact values.
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : Array.isArray(value) ? value.join(";") : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv<T>(rows: T[], columns: (keyof T)[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}

export const hopsCsv = (hops: EvidenceHop[]) => toCsv(hops, HOP_CSV_COLUMNS);
export const timelineCsv = (timeline: TimelineEntry[]) => toCsv(timeline, TIMELINE_CSV_COLUMNS);
