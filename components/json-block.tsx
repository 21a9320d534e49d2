// Pretty-printed JSON in a scrollable block, with an optional Copy button (give it an `id` to copy).
import { CopyButton } from "./copy-button";

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "undefined";
}

export function JsonBlock({ value, label, copyId }: { value: unknown; label: string; copyId?: string }) {
  return (
    <div className="json-block">
      {copyId ? <CopyButton targetId={copyId} label={`Copy ${label}`} /> : null}
      <pre id={copyId} aria-label={label} tabIndex={0}>
        {prettyJson(value)}
      </pre>
    </div>
  );
}
