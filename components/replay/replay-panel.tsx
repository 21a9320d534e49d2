"use client";
// Replay this decision: against the version in force when it was made (resolved from the record), and
// side by side against another stored version or an uploaded draft. `open` (from ?replay=1) runs the
// first replay at once and scrolls here.
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { OpaComparison } from "./opa-compare";
import { ReplayComparison } from "./replay-compare";
import { ReplayHeader } from "./replay-header";
import type { ReplayJson, ReplayOutcome } from "./replay-types";
import { withCsrf } from "@/lib/client/csrf";

export interface VersionChoice {
  id: string;
  label: string;
  source: string;
  compileErrors: number;
}

type Target = "resolved" | { version: string } | { draft: { path: string; content: string }[] };

async function requestReplay(recordId: string, target: Target): Promise<ReplayOutcome> {
  try {
    const res = await fetch(`/api/records/${recordId}/replay`, {
      method: "POST",
      headers: withCsrf({ "content-type": "application/json" }),
      body: JSON.stringify({ target }),
    });
    const body = await res.json().catch(() => null);
    if (res.ok && body && Array.isArray(body.inputs)) return { state: "done", replay: body as ReplayJson };
    return { state: "failed", status: res.status, error: body?.error ?? `the server answered ${res.status}`, compileErrors: body?.compileErrors };
  } catch (err) {
    return { state: "failed", status: 0, error: `network error: ${(err as Error).message}` };
  }
}

/** Policy files of a picked folder or file list (Cerbos: YAML/JSON; OPA: .rego, data files, .manifest), not tests; one shared top folder removed. */
async function readDraft(files: FileList, engine: "cerbos" | "opa"): Promise<{ path: string; content: string }[]> {
  const wanted = engine === "opa" ? /(\.rego|(^|\/)data\.(json|ya?ml)|(^|\/)\.manifest)$/i : /\.(ya?ml|json)$/i;
  const picked = Array.from(files)
    .map((f) => ({ file: f, path: (f.webkitRelativePath || f.name).replace(/\\/g, "/") }))
    .filter(({ path }) => wanted.test(path) && !/(^|\/)testdata\//.test(path) && !/_test\.(ya?ml|json)$/i.test(path) && !path.split("/").some((p) => p.startsWith(".") && p !== ".manifest"));
  const top = picked[0]?.path.split("/")[0];
  const strip = top !== undefined && top !== "_schemas" && picked.every((p) => p.path.includes("/") && p.path.split("/")[0] === top);
  return Promise.all(picked.map(async ({ file, path }) => ({ path: strip ? path.slice(top!.length + 1) : path, content: await file.text() })));
}

export function ReplayPanel({
  recordId,
  engine,
  open,
  versions,
  compare,
}: {
  recordId: string;
  engine: "cerbos" | "opa";
  open: boolean;
  versions: VersionChoice[];
  compare?: string;
}) {
  const [inForce, setInForce] = useState<ReplayOutcome>({ state: "idle" });
  const [other, setOther] = useState<ReplayOutcome>({ state: "idle" });
  const [choice, setChoice] = useState<string>(compare ?? "");
  const [draftNote, setDraftNote] = useState<string>("");
  const section = useRef<HTMLElement>(null);

  const runResolved = useCallback(async () => {
    setInForce({ state: "loading" });
    setInForce(await requestReplay(recordId, "resolved"));
  }, [recordId]);

  useEffect(() => {
    if (!open) return;
    section.current?.scrollIntoView({ block: "start" });
    void runResolved();
    if (compare) {
      setOther({ state: "loading" });
      void requestReplay(recordId, { version: compare }).then(setOther);
    }
  }, [open, runResolved, compare, recordId]);

  // Default comparison: a version other than the one in force.
  const inForceId = inForce.state === "done" && inForce.replay.target.kind === "version" ? inForce.replay.target.version.id : undefined;
  const selected = choice || versions.find((v) => v.id !== inForceId)?.id || "";

  async function compareVersion() {
    if (!selected) return;
    setOther({ state: "loading" });
    setOther(await requestReplay(recordId, { version: selected }));
  }

  async function compareDraft(files: FileList | null) {
    if (!files || files.length === 0) return;
    const draft = await readDraft(files, engine);
    if (draft.length === 0) {
      setOther({ state: "failed", status: 400, error: engine === "opa" ? "none of the chosen files is part of an OPA bundle (.rego, data.json, .manifest)" : "none of the chosen files is a policy file (.yaml, .yml or .json)" });
      return;
    }
    setDraftNote(`${draft.length} policy file${draft.length === 1 ? "" : "s"}: ${draft.map((d) => d.path).slice(0, 6).join(", ")}${draft.length > 6 ? ", …" : ""}`);
    setOther({ state: "loading" });
    setOther(await requestReplay(recordId, { draft }));
  }

  return (
    <section id="replay" ref={section} aria-labelledby="replay-title" className={`panel replay${open ? " replay-open" : ""}`}>
      <h2 id="replay-title">Replay</h2>
      <p className="muted">
        Re-evaluates this decision with Hindsight&apos;s embedded {engine === "opa" ? "Rego" : "Cerbos"} engine, at the time it was made,
        and compares with what the PDP logged.
      </p>
      {versions.length === 0 ? (
        <p role="alert" className="replay-unavailable">
          No {engine === "opa" ? "OPA bundles are" : "Cerbos policy versions are"} imported yet, so there is nothing to replay against. <Link href="/policies">Import policies</Link>{" "}
          (an archive in the browser, or a git history with <code>npx hindsight policies import &lt;repo&gt;</code>), or compare with a
          draft below.
        </p>
      ) : null}

      <div className="replay-controls">
        {versions.length > 0 ? (
          <button type="button" className="primary" onClick={runResolved} disabled={inForce.state === "loading"}>
            {inForce.state === "idle" ? "Replay against the version in force" : "Replay again"}
          </button>
        ) : null}
        {versions.length > 0 ? (
          <span className="replay-compare-with">
            <label className="field">
              <span>Compare with version</span>
              <select value={selected} onChange={(e) => setChoice(e.target.value)}>
                {versions.map((v) => (
                  <option key={v.id} value={v.id}>
                    #{v.id} {v.label} — {v.source}
                    {v.compileErrors ? ` (${v.compileErrors} compile errors)` : ""}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={compareVersion} disabled={other.state === "loading"}>
              Replay against this version
            </button>
          </span>
        ) : null}
        <label className="field">
          <span>…or a draft: policy files</span>
          <input type="file" multiple accept={engine === "opa" ? ".rego,.json,.yaml,.yml,.manifest" : ".yaml,.yml,.json"} onChange={(e) => void compareDraft(e.currentTarget.files)} aria-label="Draft policy files" />
        </label>
      </div>
      {draftNote && other.state !== "idle" ? <p className="muted">Draft: {draftNote}</p> : null}

      <div className="grid-2 replay-headers">
        <ReplayHeader title="Version in force" outcome={inForce} testId="replay-in-force" />
        {other.state !== "idle" ? <ReplayHeader title="Compared with" outcome={other} testId="replay-other" /> : null}
      </div>
      {engine === "opa" ? (
        <OpaComparison inForce={inForce.state === "done" ? inForce.replay : undefined} other={other.state === "done" ? other.replay : undefined} />
      ) : (
        <ReplayComparison inForce={inForce.state === "done" ? inForce.replay : undefined} other={other.state === "done" ? other.replay : undefined} />
      )}
    </section>
  );
}
