// Pretty-printed JSON in a scrollable block, with an optional Copy button.
import { CopyButton } from "./copy-button";

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "undefined";
}

export function JsonBlock({ value, label, copy = false }: { value: unknown; label: string; copy?: boolean }) {
  const text = prettyJson(value);
  return (
    <div className="json-block">
      {copy ? <CopyButton text={text} label={`Copy ${label}`} /> : null}
      <pre aria-label={label} tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}
