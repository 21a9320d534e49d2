"use client";
// Editor for the masked paths: one rule per line, saved with PUT /api/admin/settings. Bad lines come
// back named by line number and are listed under the editor; "Use the defaults" removes the override.
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { withCsrf } from "@/lib/client/csrf";
import "./masking.css";

interface LineError {
  line: number | null;
  text: string;
  message: string;
}

export function SensitivePathsForm({ initial, hasOverride }: { initial: string; hasOverride: boolean }) {
  const router = useRouter();
  const [text, setText] = useState(initial);
  const [state, setState] = useState<{ kind: "idle" | "busy" | "saved" | "error"; message?: string; errors?: LineError[] }>({ kind: "idle" });

  async function send(sensitivePaths: string | null) {
    setState({ kind: "busy" });
    try {
      const res = await fetch("/api/admin/settings", {
        method: "PUT",
        headers: withCsrf({ "content-type": "application/json" }),
        body: JSON.stringify({ sensitivePaths }),
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        setState({ kind: "error", message: body?.error ?? `Saving failed (${res.status})`, errors: body?.errors });
        return;
      }
      if (sensitivePaths === null) setText((body?.lines ?? []).join("\n"));
      setState({ kind: "saved", message: sensitivePaths === null ? "Override removed: the defaults apply." : `Saved: ${body?.rules?.length ?? 0} rules in force.` });
      router.refresh();
    } catch (err) {
      setState({ kind: "error", message: `Saving failed: ${(err as Error).message}` });
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void send(text);
  }

  return (
    <form className="rules-editor" aria-label="Masked paths" onSubmit={onSubmit}>
      <label className="field field-wide">
        <span>Masked paths and detectors, one per line (# starts a comment; @defaults includes the built-in list)</span>
        <textarea name="sensitivePaths" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-invalid={state.kind === "error"} />
      </label>
      <p className="reveal-actions">
        <button type="submit" className="primary" disabled={state.kind === "busy"}>
          {state.kind === "busy" ? "Saving…" : "Save"}
        </button>
        {hasOverride ? (
          <button type="button" onClick={() => void send(null)} disabled={state.kind === "busy"}>
            Use the defaults (remove the override)
          </button>
        ) : null}
      </p>
      {state.kind === "saved" ? <p role="status">{state.message}</p> : null}
      {state.kind === "error" ? (
        <div role="alert" className="error-text rules-errors">
          {state.errors?.length ? (
            <>
              <p>Nothing was saved. Fix these lines:</p>
              <ul>
                {state.errors.map((e, i) => (
                  <li key={i}>
                    {e.line ? `Line ${e.line}` : "The list"}
                    {e.text ? (
                      <>
                        {" "}
                        (<code>{e.text}</code>)
                      </>
                    ) : null}
                    : {e.message}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{state.message}</p>
          )}
        </div>
      ) : null}
    </form>
  );
}
