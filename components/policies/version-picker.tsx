// Two selects that open the diff between any two versions; a plain GET form, works without JavaScript.
import type { PolicyVersion } from "@/lib/policies/types";

export function versionOptionLabel(v: PolicyVersion): string {
  return `#${v.id} ${v.label} — ${v.source}`;
}

export function VersionDiffPicker({ versions, from, to }: { versions: PolicyVersion[]; from?: string; to?: string }) {
  if (versions.length < 2) return null;
  // Default: the second newest against the newest (what changed last).
  const defaultTo = to ?? versions[0]!.id;
  const defaultFrom = from ?? versions[1]!.id;
  return (
    <form className="filters" action="/policies/diff" method="get" aria-label="Compare versions">
      <div className="filters-row">
        <label className="field field-wide">
          <span>From version</span>
          <select name="from" defaultValue={defaultFrom}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {versionOptionLabel(v)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-wide">
          <span>To version</span>
          <select name="to" defaultValue={defaultTo}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {versionOptionLabel(v)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="filters-actions">
        <button type="submit" className="primary">
          Compare
        </button>
      </div>
    </form>
  );
}
