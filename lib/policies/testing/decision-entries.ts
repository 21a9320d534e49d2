// Test fixture: Cerbos decision log entries (file-backend lines) about the fixture repository's
// `document` policy, with the git references a Cerbos git store would write (cerbos.md §1.5).
export interface FixtureDecision {
  callId: string;
  timestamp: Date;
  amount: number;
  /** Recorded effects per action. */
  effects: Record<string, "EFFECT_ALLOW" | "EFFECT_DENY">;
  /** policySource.git.hash (absent right after a fresh clone). */
  liveHash?: string;
  /** auditTrail commit_hash of the document policy (stale after a live update). */
  commitHash?: string;
  repositoryUrl?: string;
}

export function fixtureDecisionEntry(d: FixtureDecision): Record<string, unknown> {
  const actions = Object.keys(d.effects);
  const entry: Record<string, unknown> = {
    "log.logger": "cerbos.audit",
    "log.kind": "decision",
    callId: d.callId,
    timestamp: d.timestamp.toISOString(),
    checkResources: {
      inputs: [
        {
          requestId: `req-${d.callId}`,
          principal: { id: "alice", roles: ["user"], attr: {} },
          resource: { kind: "document", id: `doc-${d.callId}`, attr: { amount: d.amount, owner: "bob" } },
          actions,
        },
      ],
      outputs: [
        {
          requestId: `req-${d.callId}`,
          resourceId: `doc-${d.callId}`,
          actions: Object.fromEntries(actions.map((a) => [a, { effect: d.effects[a], policy: "resource.document.vdefault" }])),
        },
      ],
    },
  };
  if (d.commitHash) {
    entry.auditTrail = {
      effectivePolicies: { "resource.document.vdefault": { attributes: { driver: "git", source: "resource_policies/document.yaml", commit_hash: d.commitHash } } },
    };
  }
  if (d.repositoryUrl || d.liveHash) {
    entry.policySource = { git: { repositoryUrl: d.repositoryUrl ?? "file:///elsewhere", branch: "main", subdirectory: ".", ...(d.liveHash ? { hash: d.liveHash } : {}) } };
  }
  return entry;
}

export function toNdjson(entries: Record<string, unknown>[]): string {
  return entries.map((e) => JSON.stringify(e)).join("\n") + "\n";
}
