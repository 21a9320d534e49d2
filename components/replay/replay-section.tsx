// The record page's Replay panel: loads the versions to compare against, then hands over to the client
// panel. Records that cannot be replayed say why instead of offering a button.
import { Section } from "@/components/record/section";
import { getPool } from "@/lib/db/pool";
import { listVersions } from "@/lib/policies";
import { ReplayPanel } from "./replay-panel";
import "./replay.css";

/** `compare` (a version id, from an impact run's flip) is preselected and replayed next to the version in force. */
export async function ReplaySection({ recordId, engine, kind, open, compare }: { recordId: string; engine: string; kind: string; open: boolean; compare?: string }) {
  if (kind !== "decision") {
    return (
      <Section id="replay" title="Replay" className={open ? "replay-open" : undefined}>
        <p role="alert" className="replay-unavailable">
          This is a Cerbos access entry, not a decision: there is nothing to replay. Open the decision with the same callId instead.
        </p>
      </Section>
    );
  }
  // A Cerbos decision replays against Cerbos policy versions, an OPA decision against OPA bundles.
  const versions = (await listVersions(getPool())).filter((v) => v.engine === (engine === "opa" ? "opa" : "cerbos"));
  return (
    <ReplayPanel
      recordId={recordId}
      engine={engine === "opa" ? "opa" : "cerbos"}
      open={open}
      compare={compare && versions.some((v) => v.id === compare) ? compare : undefined}
      versions={versions.map((v) => ({ id: v.id, label: v.label, source: v.source, compileErrors: v.compileErrors?.length ?? 0 }))}
    />
  );
}
