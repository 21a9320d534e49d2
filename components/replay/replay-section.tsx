// The record page's Replay panel: loads the versions to compare against, then hands over to the client
// panel. Records that cannot be replayed say why instead of offering a button.
import { Section } from "@/components/record/section";
import { getPool } from "@/lib/db/pool";
import { listVersions } from "@/lib/policies";
import { ReplayPanel } from "./replay-panel";
import "./replay.css";

/** `compare` (a version id, from an impact run's flip) is preselected and replayed next to the version in force. */
export async function ReplaySection({ recordId, engine, kind, open, compare }: { recordId: string; engine: string; kind: string; open: boolean; compare?: string }) {
  if (engine !== "cerbos" || kind !== "decision") {
    return (
      <Section id="replay" title="Replay" className={open ? "replay-open" : undefined}>
        <p role="alert" className="replay-unavailable">
          {engine !== "cerbos"
            ? `This is an ${engine.toUpperCase()} decision. Replaying OPA decisions needs the embedded Rego engine, which is not built yet; Cerbos decisions replay.`
            : "This is a Cerbos access entry, not a decision: there is nothing to replay. Open the decision with the same callId instead."}
        </p>
      </Section>
    );
  }
  const versions = await listVersions(getPool());
  return (
    <ReplayPanel
      recordId={recordId}
      open={open}
      compare={compare && versions.some((v) => v.id === compare) ? compare : undefined}
      versions={versions.map((v) => ({ id: v.id, label: v.label, source: v.source, compileErrors: v.compileErrors?.length ?? 0 }))}
    />
  );
}
