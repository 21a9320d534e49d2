"use client";
// Copies text to the clipboard and says so in a live region. `targetId` copies an element's text
// instead, so large blocks (a raw record) are not sent to the browser twice.
import { useState } from "react";

export function CopyButton({ text, targetId, label = "Copy" }: { text?: string; targetId?: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      const value = text ?? (targetId ? document.getElementById(targetId)?.textContent : null) ?? "";
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      // Clipboard access needs a secure context (https or localhost); say so rather than fail silently.
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2000);
  }
  return (
    <span className="copy-button">
      <button type="button" onClick={copy}>
        {label}
      </button>
      <span role="status" aria-live="polite" className="muted">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text instead" : ""}
      </span>
    </span>
  );
}
