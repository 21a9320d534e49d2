// The demo's Cerbos policy history as commits the app can import: one commit per timeline version,
// carrying the policy files of lib/demo/policies/vN. Hashes and times come from the seeded timeline,
// so the records' policySource.git.hash names these commits.

import { demoPolicyFiles, type DemoPolicyFile } from "./policy-files.ts";
import type { PolicyTimeline } from "./policy-timeline.ts";
import { POLICY_REPO, POLICY_SUBDIRECTORY } from "./world.ts";

export interface DemoPolicyCommit {
  hash: string;
  message: string;
  committedAt: Date;
  /** "Name <email>", as git prints it. */
  author: string;
  /** The whole policy tree at this commit, paths relative to `subdirectory`. */
  files: DemoPolicyFile[];
}

export interface DemoPolicyHistory {
  repositoryUrl: string;
  branch: string;
  /** Directory of the repository holding the policies (policySource.git.subdirectory). */
  subdirectory: string;
  /** Oldest first. */
  commits: DemoPolicyCommit[];
}

/** Who wrote each version: the platform security team, then a payments engineer (the bug), then security again. */
const AUTHORS: Record<1 | 2 | 3, string> = {
  1: "Dana Whitfield <dana.whitfield@acme.example>",
  2: "Marco Ruiz <marco.ruiz@acme.example>",
  3: "Dana Whitfield <dana.whitfield@acme.example>",
};

export function demoPolicyHistory(timeline: PolicyTimeline): DemoPolicyHistory {
  return {
    repositoryUrl: POLICY_REPO,
    branch: "main",
    subdirectory: POLICY_SUBDIRECTORY,
    commits: timeline.cerbos.map((v) => ({
      hash: v.hash,
      message: v.message,
      committedAt: new Date(v.fromMs),
      author: AUTHORS[v.version],
      files: demoPolicyFiles(v.version).map((f) => ({ ...f })),
    })),
  };
}
