"use client";
// Drag-and-drop (or pick) decision-log files and upload them one after another, with upload progress
// (XMLHttpRequest: fetch has no upload progress) and the ingest summary of each file.
import Link from "next/link";
import { type DragEvent, useRef, useState } from "react";
import { formatBytes, formatNumber } from "@/lib/explorer/format";
import { csrfToken, CSRF_HEADER } from "@/lib/client/csrf";

interface UploadSummary {
  batchId?: string;
  accepted: number;
  duplicate: number;
  conflict: number;
  /** Every rejected item; `rejected` lists the first 1,000. */
  rejectedCount?: number;
  rejected: { file?: string; line: number; reason: string }[];
}

interface UploadItem {
  key: string;
  name: string;
  size: number;
  status: "queued" | "uploading" | "storing" | "done" | "failed";
  loaded: number;
  summary?: UploadSummary;
  error?: string;
}

const SHOWN_REJECTIONS = 100;

function uploadOne(file: File, pdp: string, onProgress: (loaded: number) => void, onSent: () => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const params = new URLSearchParams({ filename: file.name });
    if (pdp) params.set("pdp", pdp);
    xhr.open("POST", `/api/ingest/upload?${params}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.setRequestHeader(CSRF_HEADER, csrfToken());
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.upload.onload = onSent;
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: `the server answered ${xhr.status} without a JSON body` };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("network error: the upload did not reach the server"));
    xhr.send(file);
  });
}

function isSummary(body: unknown): body is UploadSummary {
  return !!body && typeof body === "object" && "accepted" in body && Array.isArray((body as UploadSummary).rejected);
}

export function UploadForm({ maxBytes }: { maxBytes: number }) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const [pdp, setPdp] = useState("");
  const queue = useRef<Promise<void>>(Promise.resolve());
  const counter = useRef(0);

  const update = (key: string, patch: Partial<UploadItem>) => setItems((all) => all.map((it) => (it.key === key ? { ...it, ...patch } : it)));

  function enqueue(files: FileList | File[]) {
    const list = Array.from(files);
    if (list.length === 0) return;
    const added = list.map((file) => ({ file, item: { key: `u${counter.current++}`, name: file.name, size: file.size, status: "queued" as const, loaded: 0 } }));
    setItems((all) => [...added.map((a) => a.item), ...all]);
    for (const { file, item } of added) {
      // One upload at a time: the server parses and stores each file in full before answering.
      queue.current = queue.current.then(async () => {
        if (file.size > maxBytes) {
          update(item.key, { status: "failed", error: `${file.name} is ${formatBytes(file.size)}; the upload limit is ${formatBytes(maxBytes)} per file` });
          return;
        }
        update(item.key, { status: "uploading" });
        try {
          const { status, body } = await uploadOne(
            file,
            pdp.trim(),
            (loaded) => update(item.key, { loaded }),
            () => update(item.key, { status: "storing", loaded: file.size }),
          );
          const error = body && typeof body === "object" && "error" in body ? String((body as { error: unknown }).error) : undefined;
          update(item.key, {
            status: status >= 200 && status < 300 ? "done" : "failed",
            summary: isSummary(body) ? body : undefined,
            error: status >= 300 ? (error ?? `the server answered ${status}`) : undefined,
          });
        } catch (err) {
          update(item.key, { status: "failed", error: (err as Error).message });
        }
      });
    }
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    enqueue(e.dataTransfer.files);
  }

  return (
    <div>
      <div
        className={`dropzone${dragging ? " dragging" : ""}`}
        role="region"
        aria-label="Drop decision-log files here"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          Drop Cerbos or OPA decision-log files here (NDJSON, JSON, or gzip of either), or choose them:
        </p>
        <label className="field" style={{ maxWidth: "22rem", margin: "0 auto" }}>
          <span>Choose files</span>
          <input
            type="file"
            multiple
            accept=".ndjson,.jsonl,.json,.log,.gz,.txt,application/json,application/gzip"
            onChange={(e) => {
              if (e.currentTarget.files) enqueue(e.currentTarget.files);
              e.currentTarget.value = "";
            }}
          />
        </label>
        <label className="field" style={{ maxWidth: "22rem", margin: "0.75rem auto 0" }}>
          <span>PDP instance for Cerbos records (optional)</span>
          <input type="text" value={pdp} onChange={(e) => setPdp(e.target.value)} placeholder="e.g. cerbos-prod-1" autoComplete="off" />
        </label>
        <p className="muted">Up to {formatBytes(maxBytes)} per file. Records already stored are counted as duplicates, not stored twice.</p>
      </div>
      {items.length ? (
        <ul className="upload-list" aria-label="Uploads">
          {items.map((item) => (
            <UploadRow key={item.key} item={item} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
  const statusText = {
    queued: "Waiting…",
    uploading: `Uploading ${formatBytes(item.loaded)} of ${formatBytes(item.size)}`,
    storing: "Uploaded; parsing and storing…",
    done: "Done",
    failed: "Failed",
  }[item.status];
  const s = item.summary;
  return (
    <li className="panel upload-item" aria-label={`Upload of ${item.name}`}>
      <strong>{item.name}</strong> <span className="muted">({formatBytes(item.size)})</span>
      <progress
        aria-label={`Upload progress of ${item.name}`}
        max={Math.max(item.size, 1)}
        value={item.status === "done" || item.status === "storing" ? Math.max(item.size, 1) : item.loaded}
      />
      <p role="status">{statusText}</p>
      {item.error ? (
        <p role="alert" className="error-text">
          {item.error}
        </p>
      ) : null}
      {s ? (
        <>
          <div className="summary-numbers" data-testid="upload-summary">
            <span>
              <strong>{formatNumber(s.accepted)}</strong> accepted
            </span>
            <span>
              <strong>{formatNumber(s.duplicate)}</strong> duplicate
            </span>
            <span>
              <strong>{formatNumber(s.conflict)}</strong> conflict
            </span>
            <span>
              <strong>{formatNumber(s.rejectedCount ?? s.rejected.length)}</strong> rejected
            </span>
          </div>
          {s.accepted + s.conflict > 0 ? (
            <p>
              <Link href="/decisions">See the newest decisions</Link>
            </p>
          ) : null}
          {s.rejected.length ? (
            <table className="data-table rejections" aria-label={`Rejected items of ${item.name}`}>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {s.rejected.slice(0, SHOWN_REJECTIONS).map((r, i) => (
                  <tr key={`${r.line}-${i}`}>
                    <td>{r.line}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {(s.rejectedCount ?? s.rejected.length) > SHOWN_REJECTIONS ? (
            <p className="muted">
              …and {formatNumber((s.rejectedCount ?? s.rejected.length) - SHOWN_REJECTIONS)} more (the batch #{s.batchId} keeps the first 1,000).
            </p>
          ) : null}
        </>
      ) : null}
    </li>
  );
}
