"use client";
// The reason prompt every reveal goes through: a small form (not a browser prompt(), so it is styled,
// keyboard-friendly and testable), checked here for length and by the server, which records it.
import { type FormEvent, useEffect, useRef, useState } from "react";
import { sendJson } from "@/lib/client/send-json";
import { MIN_REASON_LENGTH } from "./reveal-types";

interface Props {
  /** What is about to be revealed, in words ("the email at principal.attr.email"). */
  what: string;
  /** JSON body fields besides the reason. */
  request: Record<string, unknown>;
  onRevealed: (body: Record<string, unknown>) => void;
  onCancel: () => void;
}

export function RevealForm({ what, request, onRevealed, onCancel }: Props) {
  const [reason, setReason] = useState("");
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    event.stopPropagation();
    const text = reason.trim();
    if (text.length < MIN_REASON_LENGTH) {
      setState({ busy: false, error: `Give a reason of at least ${MIN_REASON_LENGTH} characters; it is recorded in the audit trail.` });
      return;
    }
    setState({ busy: true });
    const res = await sendJson<Record<string, unknown>>("POST", "/api/reveal", { ...request, reason: text });
    if (!res.ok) setState({ busy: false, error: `Reveal failed: ${res.error}` });
    else onRevealed(res.data);
  }

  return (
    <form className="reveal-form" role="dialog" noValidate aria-label="Reveal a masked value" onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <p>
        Reveal {what}? Your name, the record, the field and your reason are recorded in the audit trail.
      </p>
      <label className="field field-wide">
        <span>Reason (at least {MIN_REASON_LENGTH} characters)</span>
        <input
          ref={input}
          type="text"
          name="reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          minLength={MIN_REASON_LENGTH}
          maxLength={2000}
          required
          placeholder="e.g. INC-2291: confirm which mailbox approved the payment"
        />
      </label>
      <div className="reveal-actions">
        <button type="submit" className="primary" disabled={state.busy}>
          {state.busy ? "Revealing…" : "Reveal"}
        </button>
        <button type="button" onClick={onCancel} disabled={state.busy}>
          Cancel
        </button>
      </div>
      {state.error ? (
        <p role="alert" className="error-text">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
