// Compares two policy versions file by file. Line diffs come from the `diff` package (Myers
// algorithm, standard unified output with hunks and context): a reviewer reads them like `git diff`,
// and a hand-written LCS would need its own tests for hunk edges.
import { createTwoFilesPatch, structuredPatch } from "diff";
import type pg from "pg";
import { getVersion, getVersionFiles } from "./queries.ts";
import type { PolicyFile, PolicyVersion } from "./types.ts";

export type FileDiffStatus = "added" | "removed" | "changed" | "same";

export interface FileDiff {
  path: string;
  status: FileDiffStatus;
  /** Unified diff (`--- a/path`, `+++ b/path`, hunks with 3 lines of context); only for `changed`. */
  unifiedDiff?: string;
  /** Lines added / removed (whole file for added / removed files). */
  additions: number;
  deletions: number;
}

export interface VersionDiff {
  from: PolicyVersion;
  to: PolicyVersion;
  /** Every path of either version, sorted. */
  files: FileDiff[];
}

function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** Per-file comparison of two snapshots (pure). */
export function diffSnapshots(from: readonly PolicyFile[], to: readonly PolicyFile[]): FileDiff[] {
  const before = new Map(from.map((f) => [f.path, f.content]));
  const after = new Map(to.map((f) => [f.path, f.content]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return paths.map((path): FileDiff => {
    const a = before.get(path);
    const b = after.get(path);
    if (a === undefined) return { path, status: "added", additions: lineCount(b!), deletions: 0 };
    if (b === undefined) return { path, status: "removed", additions: 0, deletions: lineCount(a) };
    if (a === b) return { path, status: "same", additions: 0, deletions: 0 };
    let additions = 0;
    let deletions = 0;
    for (const hunk of structuredPatch(path, path, a, b).hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith("+")) additions++;
        else if (line.startsWith("-")) deletions++;
      }
    }
    const unifiedDiff = createTwoFilesPatch(`a/${path}`, `b/${path}`, a, b, undefined, undefined, { headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true } });
    return { path, status: "changed", unifiedDiff, additions, deletions };
  });
}

/** Compares two stored versions by id; throws when either does not exist. */
export async function diffVersions(pool: pg.Pool, a: string, b: string): Promise<VersionDiff> {
  const [from, to] = await Promise.all([getVersion(pool, a), getVersion(pool, b)]);
  if (!from) throw new Error(`policy version ${a} does not exist`);
  if (!to) throw new Error(`policy version ${b} does not exist`);
  const [filesA, filesB] = await Promise.all([getVersionFiles(pool, a), getVersionFiles(pool, b)]);
  return { from, to, files: diffSnapshots(filesA, filesB) };
}
