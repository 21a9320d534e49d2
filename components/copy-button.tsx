"use client";
// Copies text to the clipboard and says so in a live region.
import { useState } from "react";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
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
