// When a version was in force, from its source's commit history: from each of its commits until the
// source's next commit that produced another version. Pure; the page feeds it commits from lib/policies.
import type { PolicyCommit } from "@/lib/policies/types";

export interface InForceWindow {
  source: string;
  from: Date;
  /** Exclusive; null while the version is the source's newest. */
  to: Date | null;
}

/** `sourceCommits`: every commit of the version's sources, any version, any order. */
export function inForceWindows(versionId: string, sourceCommits: PolicyCommit[]): InForceWindow[] {
  const bySource = new Map<string, PolicyCommit[]>();
  for (const c of sourceCommits) {
    const list = bySource.get(c.source);
    if (list) list.push(c);
    else bySource.set(c.source, [c]);
  }
  const windows: InForceWindow[] = [];
  for (const [source, commits] of bySource) {
    commits.sort((a, b) => a.committedAt.getTime() - b.committedAt.getTime() || (a.ref < b.ref ? -1 : 1));
    let open: Date | null = null;
    for (const c of commits) {
      if (c.versionId === versionId) open ??= c.committedAt;
      else if (open) {
        windows.push({ source, from: open, to: c.committedAt });
        open = null;
      }
    }
    if (open) windows.push({ source, from: open, to: null });
  }
  return windows.sort((a, b) => a.from.getTime() - b.from.getTime());
}
