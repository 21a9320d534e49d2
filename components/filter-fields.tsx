// The explorer's filter inputs, shared by every form that takes the explorer's filters (decisions,
// trends, impact analysis): one set of names and labels, so a view moves between pages by URL.
import { EFFECTS, ENGINES, type ExplorerFilters, FILTER_PARAMS, type FilterParam, parseUtcDateTime } from "@/lib/explorer/query-params";

export const FILTER_TEXT_FIELDS: { name: FilterParam; label: string; placeholder?: string }[] = [
  { name: "principal", label: "Principal", placeholder: "exact id" },
  { name: "agent", label: "Acting agent", placeholder: "exact id" },
  { name: "role", label: "Role" },
  { name: "action", label: "Action" },
  { name: "kind", label: "Resource kind" },
  { name: "rid", label: "Resource id" },
  { name: "policy", label: "Deciding policy", placeholder: "e.g. resource.document.vdefault" },
  { name: "pv", label: "Policy version" },
  { name: "ref", label: "Policy commit / revision", placeholder: "full git commit hash" },
  { name: "pdp", label: "PDP instance" },
];

/** <input type="datetime-local"> wants "YYYY-MM-DDTHH:mm[:ss]" without a zone; the UI is all UTC. */
export function toDateTimeInputValue(value: string | undefined): string {
  if (!value) return "";
  const date = parseUtcDateTime(value);
  if (!date) return "";
  const iso = date.toISOString();
  // Keep the precision the link had: "to" a minute means the whole minute, "to" a second that second.
  const hasSeconds = /T\d{2}:\d{2}:\d{2}/.test(value.replace(" ", "T"));
  return hasSeconds ? iso.slice(0, 19) : iso.slice(0, 16);
}

/** The filters a submitted form carries (empty fields dropped); the explorer's keys unless told others. */
export function filtersFromForm<K extends string = FilterParam>(data: FormData, keys: readonly K[] = Object.keys(FILTER_PARAMS) as K[]): Partial<Record<K, string>> {
  const next: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = data.get(key);
    if (typeof value === "string" && value.trim() !== "") next[key] = value.trim();
  }
  return next;
}

export function SearchField({ filters }: { filters: ExplorerFilters }) {
  return (
    <label className="field field-wide">
      <span>Search</span>
      <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="principal, agent, action, resource, policy, ids…" />
    </label>
  );
}

export function TimeRangeFields({ filters }: { filters: { from?: string; to?: string } }) {
  return (
    <>
      <label className="field">
        <span>From (UTC)</span>
        <input type="datetime-local" name="from" step={1} defaultValue={toDateTimeInputValue(filters.from)} />
      </label>
      <label className="field">
        <span>To (UTC)</span>
        <input type="datetime-local" name="to" step={1} defaultValue={toDateTimeInputValue(filters.to)} />
      </label>
    </>
  );
}

function ChoiceField({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: readonly string[] }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select name={name} defaultValue={value ?? ""}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Engine (optional), effect and the text filters. */
export function FilterFields({ filters, showEngine = true, effectLabel = "Effect" }: { filters: ExplorerFilters; showEngine?: boolean; effectLabel?: string }) {
  return (
    <>
      {showEngine ? <ChoiceField name="engine" label="Engine" value={filters.engine} options={ENGINES} /> : null}
      <ChoiceField name="effect" label={effectLabel} value={filters.effect} options={EFFECTS} />
      {FILTER_TEXT_FIELDS.map((f) => (
        <label key={f.name} className="field">
          <span>{f.label}</span>
          <input type="text" name={f.name} defaultValue={filters[f.name] ?? ""} placeholder={f.placeholder} autoComplete="off" />
        </label>
      ))}
    </>
  );
}
