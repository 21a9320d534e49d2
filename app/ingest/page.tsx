// Upload decision-log files from the browser.
import type { Metadata } from "next";
import { UploadForm } from "@/components/upload-form";
import { uploadMaxBytes } from "@/lib/explorer/upload-limits";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Upload" };

export default function IngestPage() {
  return (
    <section>
      <h1>Upload decision logs</h1>
      <p className="muted">
        Cerbos audit logs (file backend NDJSON, Admin API output) and OPA decision logs (upload batches, console lines) are
        recognised line by line; each file gets its own ingest batch. PDPs can also push directly: see the README.
      </p>
      <UploadForm maxBytes={uploadMaxBytes()} />
    </section>
  );
}
