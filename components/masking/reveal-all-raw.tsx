"use client";
// "Reveal the whole record" on the raw view: one reason, one audit event listing every masked path, and
// then the record exactly as received — shown, and downloadable byte for byte (its SHA-256 is the one
// the page shows), for when an investigation needs the original rather than field-by-field reveals.
import { useState } from "react";
import { RevealForm } from "./reveal-form";
import "./masking.css";

interface Revealed {
  text: string;
  pretty: string;
  url: string;
  sha256: string;
}

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** `maskedCount` < 0: not known (a record too large to mask on the page). */
export function RevealAllRaw({ recordId, maskedCount, canReveal }: { recordId: string; maskedCount: number; canReveal: boolean }) {
  const [open, setOpen] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  if (!canReveal) return null;
  if (revealed) {
    return (
      <div className="json-block" data-testid="raw-revealed">
        <p className="revealed-note">
          Revealed (recorded in the audit trail).{" "}
          <a href={revealed.url} download={`record-${recordId}.json`}>
            Download the exact bytes
          </a>{" "}
          <span className="muted">
            (SHA-256 <code>{revealed.sha256}</code>)
          </span>
        </p>
        <pre aria-label="raw record, revealed" tabIndex={0} className="revealed-block">
          {revealed.pretty}
        </pre>
      </div>
    );
  }
  return (
    <div>
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {maskedCount < 0 ? "Reveal the whole record…" : `Reveal the whole record (${maskedCount} masked value${maskedCount === 1 ? "" : "s"})…`}
      </button>
      {open ? (
        <RevealForm
          what={`${maskedCount < 0 ? "every masked value" : `all ${maskedCount} masked value${maskedCount === 1 ? "" : "s"}`} of record #${recordId} (the record exactly as received)`}
          request={{ recordId, all: true }}
          onCancel={() => setOpen(false)}
          onRevealed={(body) => {
            const bytes = fromBase64(String(body.rawBase64 ?? ""));
            const text = new TextDecoder().decode(bytes);
            let pretty = text;
            try {
              pretty = JSON.stringify(JSON.parse(text), null, 2);
            } catch {
              // Not JSON: shown as received.
            }
            const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
            setRevealed({ text, pretty, url, sha256: String(body.sha256 ?? "") });
            setOpen(false);
          }}
        />
      ) : null}
    </div>
  );
}
