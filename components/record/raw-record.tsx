// The record exactly as received: pretty-printed for reading (with Copy), and the original bytes as a
// download (the pretty form is not what the SHA-256 covers).
import type { RecordDetail } from "@/lib/explorer/record-detail";
import { formatBytes } from "@/lib/explorer/format";
import { JsonBlock } from "../json-block";
import { CopyButton } from "../copy-button";
import { Section } from "./section";

function prettyOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function RawRecord({ detail }: { detail: RecordDetail }) {
  const download = (
    <p>
      <a href={`/records/${detail.id}/raw`} download={`record-${detail.id}.json`}>
        Download raw bytes
      </a>{" "}
      <span className="muted">
        ({formatBytes(detail.rawSize)}, SHA-256 <code>{detail.rawSha256}</code>)
      </span>
    </p>
  );
  if (detail.rawText === null) {
    return (
      <Section id="raw" title="Raw record">
        <p>This record is too large to show here.</p>
        {download}
      </Section>
    );
  }
  const parsed = prettyOrNull(detail.rawText);
  return (
    <Section id="raw" title="Raw record">
      {download}
      {parsed === undefined ? (
        <div className="json-block">
          <CopyButton targetId="raw-record-text" label="Copy raw record" />
          <pre id="raw-record-text" aria-label="raw record" tabIndex={0}>
            {detail.rawText}
          </pre>
        </div>
      ) : (
        <JsonBlock value={parsed} label="raw record" copyId="raw-record-text" />
      )}
    </Section>
  );
}
