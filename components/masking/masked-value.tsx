"use client";
// One masked value in a table cell or a fact: the marker, a Reveal control that asks for a reason, and
// after a successful reveal the value in place (marked as revealed). Without the reveal permission
// only the marker shows.
import { useState } from "react";
import { RevealForm } from "./reveal-form";
import { revealedText, type RevealTarget } from "./reveal-types";
import "./masking.css";

interface Props {
  /** The marker text ("•••• masked (email)"). */
  marker: string;
  target: RevealTarget;
  canReveal: boolean;
  /** Words for the prompt: "the principal id". */
  what?: string;
}

export function MaskedValue({ marker, target, canReveal, what }: Props) {
  const [open, setOpen] = useState(false);
  const [revealed, setRevealed] = useState<{ value: unknown } | null>(null);
  if (revealed) {
    return (
      <span className="revealed" title="Revealed: this reveal is recorded in the audit trail">
        {revealedText(revealed.value, false)}
      </span>
    );
  }
  return (
    <span className="masked-value">
      <span className="mask-marker">{marker}</span>
      {canReveal ? (
        <button type="button" className="reveal-button" aria-label={`Reveal ${what ?? "masked value"}`} aria-expanded={open} onClick={() => setOpen((o) => !o)} />
      ) : null}
      {open ? (
        <span className="reveal-popover">
          <RevealForm
            what={what ?? `the value at ${target.path}`}
            request={{ ...target }}
            onCancel={() => setOpen(false)}
            onRevealed={(body) => {
              setOpen(false);
              setRevealed({ value: body.value });
            }}
          />
        </span>
      ) : null}
    </span>
  );
}
