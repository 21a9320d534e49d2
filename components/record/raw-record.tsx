// The record as received: pretty-printed for reading (with Copy), masked by the sensitive-field rules
// with a Reveal control per masked value and one for the whole record, and the download (masked too
// when something is masked; the exact bytes need a reveal with a reason). The pretty form is not what
// the SHA-256 covers.
import type { RecordDetail } from "@/lib/explorer/record-detail";
import { formatBytes } from "@/lib/explorer/format";
import type { MaskedRaw } from "@/lib/masking/record";
import { JsonBlock } from "../json-block";
import { CopyButton } from "../copy-button";
import { MaskedJson } from "../masking/masked-json";
import { RevealAllRaw } from "../masking/reveal-all-raw";
import { Section } from "./section";

export function RawRecord({ detail, raw, canReveal }: { detail: RecordDetail; raw: MaskedRaw | null; canReveal: boolean }) {
  const masked = raw ? raw.masked.length : 0;
  const download = (
    <p>
      <a href={`/records/${detail.id}/raw`} download={`record-${detail.id}${masked ? ".masked" : ""}.json`}>
        {masked ? "Download (masked)" : "Download raw bytes"}
      </a>{" "}
      <span className="muted">
        ({formatBytes(detail.rawSize)}, SHA-256 <code>{detail.rawSha256}</code>
        {masked ? `; ${masked} value${masked === 1 ? " is" : "s are"} masked, so the download is not these bytes` : ""})
      </span>
    </p>
  );
  if (detail.rawText === null || raw === null) {
    return (
      <Section id="raw" title="Raw record">
        <p>This record is too large to show here.</p>
        {download}
        <RevealAllRaw recordId={detail.id} maskedCount={-1} canReveal={canReveal} />
      </Section>
    );
  }
  return (
    <Section id="raw" title="Raw record">
      {download}
      {masked ? <RevealAllRaw recordId={detail.id} maskedCount={masked} canReveal={canReveal} /> : null}
      {raw.value === null ? (
        <div className="json-block">
          <CopyButton targetId="raw-record-text" label="Copy raw record" />
          <pre id="raw-record-text" aria-label="raw record" tabIndex={0}>
            {raw.text}
          </pre>
        </div>
      ) : masked ? (
        <MaskedJson
          value={raw.value}
          masked={raw.masked.map((m) => ({ pointer: m.pointer, label: m.label }))}
          target={{ recordId: detail.id, source: "raw", basePointer: "" }}
          label="raw record"
          copyId="raw-record-text"
          canReveal={canReveal}
        />
      ) : (
        <JsonBlock value={raw.value} label="raw record" copyId="raw-record-text" />
      )}
    </Section>
  );
}
