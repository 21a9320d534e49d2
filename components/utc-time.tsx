// A UTC timestamp with its relative age on hover. `nowMs` comes from the server render so the
// relative text is the same on the server and in the browser (no hydration mismatch).
import { formatRelative, formatUtc } from "@/lib/explorer/format";

export function UtcTime({ iso, nowMs, precision = "ms" }: { iso: string; nowMs: number; precision?: "ms" | "us" }) {
  return (
    <time dateTime={iso} title={formatRelative(iso, nowMs)}>
      {formatUtc(iso, precision)}
    </time>
  );
}
