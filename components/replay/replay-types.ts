// The replay answer as the browser receives it (JSON of lib/replay RecordReplay: dates are strings).
import type { CompileError } from "@/lib/engine/types";
import type { RecordReplay } from "@/lib/replay/record-replay";
import type { InputReplay } from "@/lib/replay/replay-entry";

export type ReplayJson = Omit<RecordReplay, "target"> & {
  target:
    | { kind: "version"; version: { id: string; label: string; source: string }; ref?: string; resolvedBy?: string; inferred?: boolean }
    | { kind: "draft"; fileCount: number };
};
export type InputJson = InputReplay;

export type ReplayOutcome =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "done"; replay: ReplayJson }
  | { state: "failed"; status: number; error: string; compileErrors?: CompileError[] };

/** What a column is about, for headings. */
export function targetTitle(replay: ReplayJson): string {
  if (replay.target.kind === "draft") return `draft (${replay.target.fileCount} file${replay.target.fileCount === 1 ? "" : "s"})`;
  return `${replay.target.version.label} #${replay.target.version.id}`;
}

/** "EFFECT_ALLOW" → "allow", for the effect badge. */
export function effectWord(effect: string | undefined | null): string {
  if (!effect) return "unknown";
  return effect.replace(/^EFFECT_/, "").toLowerCase();
}

const RESOLVED_BY: Record<string, string> = {
  policySource: "policySource: the record names this commit as the store's live revision",
  commit_hash: "commit_hash: the deciding policy's commit named in the audit trail",
  time: "time (inferred): the newest version committed before the decision",
  bundle_revision: "bundle revision named by the record",
  "--at": "a time given by hand",
};

export function resolvedByText(resolvedBy: string | undefined): string {
  return resolvedBy ? (RESOLVED_BY[resolvedBy] ?? resolvedBy) : "";
}
