"use client";
// The tasks list (TanStack Table v9, same look as the decisions table). Rows arrive filtered and
// keyset-paged by the server, newest activity first.
import Link from "next/link";
import { useMemo } from "react";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import { MaskMarker } from "@/components/masking/mask-marker";
import { UtcTime } from "@/components/utc-time";
import { isMaskMarker } from "@/lib/masking/mask";
import type { TaskSummary } from "@/lib/tasks/queries";
import { taskHref } from "@/lib/views/task-list-params";
import { FlagBadges } from "./flag-badges";

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, TaskSummary>();
const dash = <span className="muted">—</span>;
// Rows arrive masked (lib/masking/aggregate-views): a marker shows as one, never as data.
const value = (v: string) => (isMaskMarker(v) ? <MaskMarker marker={v} /> : v);

function buildColumns(nowMs: number) {
  return helper.columns([
    helper.accessor("taskKey", {
      id: "task",
      header: "Task",
      cell: (info) => {
        const t = info.row.original;
        return (
          <Link href={taskHref(t.taskKey)} className="row-link" title={t.taskKey}>
            {t.taskId ?? t.taskKey}
          </Link>
        );
      },
    }),
    helper.accessor("initiatingHuman", { id: "human", header: "Human", cell: (info) => (info.getValue() === null ? dash : value(info.getValue()!)) }),
    helper.accessor("actors", {
      id: "actors",
      header: "Actors",
      cell: (info) => {
        const actors = info.getValue();
        if (!actors.length) return dash;
        return (
          <span title={actors.join(" → ")}>
            {actors.map((a, i) => (
              <span key={i}>
                {i > 0 ? " → " : null}
                {value(a)}
              </span>
            ))}
          </span>
        );
      },
    }),
    helper.accessor("hopCount", { id: "hops", header: "Hops", cell: (info) => info.getValue() }),
    helper.accessor("denyCount", {
      id: "denials",
      header: "Denials",
      cell: (info) => (info.getValue() > 0 ? <span className="effect effect-deny">{info.getValue()}</span> : <span className="muted">0</span>),
    }),
    helper.accessor("flagSummary", { id: "flags", header: "Flags", cell: (info) => <FlagBadges counts={info.getValue()} /> }),
    helper.accessor("confidence", {
      id: "confidence",
      header: "Confidence",
      cell: (info) => (
        <span>
          {Math.round(info.getValue() * 100)}%
          {info.row.original.inferred ? (
            <span className="inferred-badge" title="At least one hop joined this task only by a time-window inference">
              inferred
            </span>
          ) : null}
        </span>
      ),
    }),
    helper.accessor("lastAt", { id: "last", header: "Last activity (UTC)", cell: (info) => <UtcTime iso={info.getValue()} nowMs={nowMs} /> }),
  ]);
}

export function TasksTable({ tasks, nowMs }: { tasks: TaskSummary[]; nowMs: number }) {
  const columns = useMemo(() => buildColumns(nowMs), [nowMs]);
  const table = useTable({ features, columns, data: tasks, getRowId: (t) => t.taskKey });
  return (
    <div className="table-wrap">
      <table className="data-table tasks-table" data-testid="tasks-table">
        <caption className="visually-hidden">Tasks, most recent activity first</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  <table.FlexRender header={header} />
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id} data-column={cell.column.id}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {tasks.length === 0 ? (
        <p className="empty" role="status">
          No tasks match these filters.
        </p>
      ) : null}
    </div>
  );
}
