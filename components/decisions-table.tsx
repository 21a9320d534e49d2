"use client";
// The decisions explorer table (TanStack Table v9). Rows arrive already filtered, sorted and paged by the
// server (keyset SQL); the table only renders them and turns header clicks into a new URL.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useTransition } from "react";
import {
  createColumnHelper,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable,
} from "@tanstack/react-table";
import type { HopRow } from "@/lib/explorer/list-hops";
import {
  type ExplorerFilters,
  type ExplorerSort,
  explorerHref,
  type FilterParam,
  SORT_COLUMNS,
  type SortColumn,
} from "@/lib/explorer/query-params";
import type { MaskedCell } from "@/lib/masking/hop-document";
import { EffectBadge } from "./effect-badge";
import { MaskedValue } from "./masking/masked-value";
import { UtcTime } from "./utc-time";

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, HopRow>();

interface Props {
  rows: HopRow[];
  filters: ExplorerFilters;
  sort: ExplorerSort;
  limit: number;
  /** Server render time, for relative times that match between server and browser. */
  nowMs: number;
  /** row id → field → masked by the sensitive-field rules (the row already holds the marker). */
  masked?: Record<string, Record<string, MaskedCell>>;
  canReveal?: boolean;
}

const dash = <span className="muted">—</span>;
// Cells stay one line (ellipsis in CSS); the title shows the whole value on hover.
const text = (v: string | null) => (v ? <span title={v}>{v}</span> : dash);

const FILTER_LABEL: Partial<Record<FilterParam, string>> = {
  pdp: "PDP instance",
  principal: "principal",
  agent: "acting agent",
  action: "action",
  policy: "deciding policy",
};

const PARAM_FIELD: Partial<Record<FilterParam, keyof HopRow>> = { pdp: "pdpInstance", principal: "principalId", agent: "actingAgent", action: "action", policy: "policy" };

function buildColumns(nowMs: number, filters: ExplorerFilters, sort: ExplorerSort, limit: number, masked: Record<string, Record<string, MaskedCell>>, canReveal: boolean) {
  // A masked value shows its marker and a Reveal control, never a pivot link (the URL would carry the marker).
  const maskedCell = (row: HopRow, field: keyof HopRow, v: string | null, what: string) => {
    const m = masked[row.id]?.[field];
    if (!m || v === null) return null;
    return <MaskedValue marker={v} target={{ recordId: row.recordId, source: "hop", hopId: row.id, path: m.pointer }} canReveal={canReveal} what={what} />;
  };
  // A value links to the same view narrowed to it: investigators pivot on a principal or agent constantly.
  const pivot = (param: FilterParam, v: string | null, row?: HopRow) => {
    if (!v) return dash;
    const field = PARAM_FIELD[param];
    const m = row && field ? maskedCell(row, field, v, `the ${FILTER_LABEL[param]}`) : null;
    if (m) return m;
    if (filters[param] === v) return text(v);
    return (
      <Link href={explorerHref({ filters: { ...filters, [param]: v }, sort, limit })} className="pivot" title={`Only decisions with ${FILTER_LABEL[param]} ${v}`}>
        {v}
      </Link>
    );
  };
  return helper.columns([
    helper.accessor("decidedAt", {
      id: "time",
      header: "Decided at (UTC)",
      sortDescFirst: true,
      cell: (info) => (
        <Link href={`/records/${info.row.original.recordId}?hop=${info.row.original.id}`} className="row-link">
          <UtcTime iso={info.getValue()} nowMs={nowMs} />
        </Link>
      ),
    }),
    helper.accessor("engine", { id: "engine", header: "Engine", enableSorting: false }),
    helper.accessor("pdpInstance", { id: "pdp", header: "PDP", cell: (info) => pivot("pdp", info.getValue(), info.row.original) }),
    helper.accessor("principalId", { id: "principal", header: "Principal", cell: (info) => pivot("principal", info.getValue(), info.row.original) }),
    helper.accessor("actingAgent", { id: "agent", header: "Acting agent", cell: (info) => pivot("agent", info.getValue(), info.row.original) }),
    helper.accessor("roles", {
      id: "roles",
      header: "Roles",
      enableSorting: false,
      cell: (info) => (info.getValue().length ? text(info.getValue().join(", ")) : dash),
    }),
    helper.accessor("action", { id: "action", header: "Action", cell: (info) => pivot("action", info.getValue(), info.row.original) }),
    helper.accessor("resourceKind", {
      id: "kind",
      header: "Resource",
      cell: (info) => {
        const { resourceKind, resourceId } = info.row.original;
        if (!resourceKind && !resourceId) return dash;
        const maskedId = maskedCell(info.row.original, "resourceId", resourceId, "the resource id");
        if (maskedId) {
          return (
            <span>
              {resourceKind ?? "?"}
              <span className="muted">:</span>
              {maskedId}
            </span>
          );
        }
        return (
          <span title={[resourceKind, resourceId].filter(Boolean).join(":")}>
            {resourceKind ?? "?"}
            {resourceId ? <span className="muted">:{resourceId}</span> : null}
          </span>
        );
      },
    }),
    helper.accessor("effect", {
      id: "effect",
      header: "Effect",
      cell: (info) => (
        <>
          <EffectBadge effect={info.getValue()} />
          {info.row.original.isConflict ? (
            <span className="flag" title="Same record key as another record with different content">
              conflict
            </span>
          ) : null}
        </>
      ),
    }),
    helper.accessor("policy", { id: "policy", header: "Deciding policy", cell: (info) => pivot("policy", info.getValue(), info.row.original) }),
    helper.accessor("policyVersion", { id: "version", header: "Policy version", enableSorting: false, cell: (info) => text(info.getValue()) }),
  ]);
}

function isSortColumn(id: string): id is SortColumn {
  return (SORT_COLUMNS as readonly string[]).includes(id);
}

const NO_MASKS: Record<string, Record<string, MaskedCell>> = {};

export function DecisionsTable({ rows, filters, sort, limit, nowMs, masked = NO_MASKS, canReveal = false }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const columns = useMemo(() => buildColumns(nowMs, filters, sort, limit, masked, canReveal), [nowMs, filters, sort, limit, masked, canReveal]);
  const sorting = useMemo<SortingState>(() => [{ id: sort.column, desc: sort.direction === "desc" }], [sort]);

  function onSortingChange(updater: Updater<SortingState>) {
    const next = typeof updater === "function" ? updater(sorting) : updater;
    const first = next[0];
    if (!first || !isSortColumn(first.id)) return;
    const nextSort: ExplorerSort = { column: first.id, direction: first.desc ? "desc" : "asc" };
    // A new ordering starts at its first page: cursors belong to one ordering.
    startTransition(() => router.push(explorerHref({ filters, sort: nextSort, limit })));
  }

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { sorting },
    onSortingChange,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
  });

  return (
    <div className="table-wrap" aria-busy={pending}>
      {pending ? <div className="table-loading" role="status">Loading…</div> : null}
      <table className="data-table" data-testid="decisions-table">
        <caption className="visually-hidden">Decisions, {sort.column === "time" ? "by time" : `by ${sort.column}`}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                        <table.FlexRender header={header} />
                        <span aria-hidden="true" className="sort-indicator">
                          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                        </span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className={row.original.isConflict ? "row-conflict" : undefined}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id} data-column={cell.column.id}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? (
        <p className="empty" role="status">
          No decisions match these filters.
        </p>
      ) : null}
    </div>
  );
}
