// Size limits of the browser upload (app/api/ingest/upload), shared with the upload page that states them.
// Override with HINDSIGHT_UPLOAD_MAX_BYTES / HINDSIGHT_UPLOAD_MAX_DECODED_BYTES (bytes).

/** Largest file accepted as sent (compressed or not). */
export function uploadMaxBytes(): number {
  return Number(process.env.HINDSIGHT_UPLOAD_MAX_BYTES) || 64 * 1024 * 1024;
}

/** Largest content accepted after gunzip (gzip bomb guard). */
export function uploadMaxDecodedBytes(): number {
  return Number(process.env.HINDSIGHT_UPLOAD_MAX_DECODED_BYTES) || 256 * 1024 * 1024;
}
