// Flag codes as badges (reusing the explorer's .flag style), with counts or reasons on hover.
import { flagLabel } from "@/lib/views/flag-codes";

export function FlagBadges({ counts }: { counts: Record<string, number> }) {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <span className="flag-badges">
      {entries.map(([code, n]) => (
        <span key={code} className="flag" data-flag={code} title={`${code}: ${n} hop${n === 1 ? "" : "s"}`}>
          {flagLabel(code)}
          {n > 1 ? ` ×${n}` : ""}
        </span>
      ))}
    </span>
  );
}

export function FlagBadge({ code, reason }: { code: string; reason?: string }) {
  return (
    <span className="flag" data-flag={code} title={reason ? `${code}: ${reason}` : code}>
      {flagLabel(code)}
    </span>
  );
}
