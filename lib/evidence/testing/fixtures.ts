// Test data for evidence tests: decision logs for one task across a Cerbos and an OPA PDP, plus helpers
// to open, alter and re-pack bundles the way a tamperer would.
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { unzipSync, zipSync } from "fflate";

/** One keys directory per test database: test files share the database (and so its active key). */
export function testKeysDir(databaseUrl: string): string {
  return path.join(os.tmpdir(), `hindsight-evidence-keys-${createHash("sha256").update(databaseUrl).digest("hex").slice(0, 12)}`);
}

export function cerbosDecisionLine(o: { callId: string; at: string; taskId: string; principal: string; agent?: string; action: string; effect: "ALLOW" | "DENY"; commit: string }): string {
  return JSON.stringify({
    "log.logger": "cerbos.audit",
    "log.kind": "decision",
    callId: o.callId,
    timestamp: o.at,
    checkResources: {
      inputs: [
        {
          requestId: `${o.callId}-r`,
          principal: { id: o.principal, roles: ["user"], attr: o.agent ? { agent_id: o.agent } : {} },
          resource: { kind: "payment", id: `pay-${o.callId.slice(-4)}`, attr: {} },
          actions: [o.action],
        },
      ],
      outputs: [{ requestId: `${o.callId}-r`, resourceId: `pay-${o.callId.slice(-4)}`, actions: { [o.action]: { effect: `EFFECT_${o.effect}`, policy: "resource.payment.vdefault" } } }],
    },
    policySource: { git: { repositoryUrl: "file:///policies", branch: "main", subdirectory: ".", hash: o.commit } },
    requestContext: { annotations: { task_id: o.taskId } },
  });
}

export function opaEventLine(o: { pdp: string; decisionId: string; at: string; taskId: string; allow: boolean; revision?: string }): string {
  return JSON.stringify({
    labels: { id: o.pdp },
    decision_id: o.decisionId,
    path: "payments/allow",
    input: { context: { task_id: o.taskId }, action: "transfer", subject: { id: "agent-7" } },
    result: o.allow,
    timestamp: o.at,
    ...(o.revision ? { bundles: { payments: { revision: o.revision } } } : {}),
  });
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export function fakeUlid(seed: string): string {
  const h = createHash("sha256").update(seed).digest();
  return Array.from({ length: 26 }, (_, i) => CROCKFORD[h[i] % 32]).join("");
}

export const ndjson = (lines: string[]) => Buffer.from(lines.join("\n") + "\n");

export type BundleFiles = Record<string, Uint8Array>;

export function openBundle(zip: Uint8Array): BundleFiles {
  return unzipSync(zip);
}

export function packBundle(files: BundleFiles): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([p, d]) => [p, [d, { mtime: new Date("2026-01-01T00:00:00Z") }]])));
}

/** A copy of the bundle with one byte of one file flipped. */
export function flipByte(zip: Uint8Array, file: string, at?: number): Uint8Array {
  const files = openBundle(zip);
  const data = new Uint8Array(files[file]);
  const i = at ?? Math.floor(data.length / 2);
  data[i] ^= 0x01;
  files[file] = data;
  return packBundle(files);
}
