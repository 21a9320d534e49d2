// Tasks: decisions grouped into agent tasks (lib/tasks), searchable and keyset-paged, all in the URL.
import { InvalidParams } from "@/components/invalid-params";
import type { Metadata } from "next";
import Link from "next/link";
import { TaskFilters } from "@/components/tasks/task-filters";
import { TasksTable } from "@/components/tasks/tasks-table";
import { getPool } from "@/lib/db/pool";
import { maskTaskSummaries, masker } from "@/lib/masking/aggregate-views";
import { getSensitiveRules } from "@/lib/masking/settings";
import { listTasks } from "@/lib/tasks/queries";
import { refreshTasks } from "@/lib/tasks/refresh";
import { parseTaskListParams, taskListHref, toTaskFilters } from "@/lib/views/task-list-params";
import "./tasks.css";
import { auditView } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Tasks" };

export default async function TasksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const pool = getPool();
  // Bring freshly ingested hops into tasks in the background; this render shows what is grouped already.
  void refreshTasks(pool).catch((err) => console.error("refreshTasks:", err));
  const sp = await searchParams;
  await auditView("tasks.search", null, sp);
  const parsed = parseTaskListParams(sp);
  if (!parsed.ok) {
    return (
      <section>
        <h1>Tasks</h1>
        <InvalidParams errors={parsed.errors} resetHref="/tasks" resetLabel="Show all tasks" />
      </section>
    );
  }
  const { filters, after, limit } = parsed.query;
  const nowMs = Date.now();
  const [page, { ruleSet }] = await Promise.all([listTasks(pool, toTaskFilters(filters), { after, limit }), getSensitiveRules(pool)]);
  // Humans, actors and resources the masking rules cover leave as markers (the task page reveals them per hop).
  const tasks = maskTaskSummaries(page.tasks, masker(ruleSet));
  return (
    <section>
      <div className="page-title">
        <h1>Tasks</h1>
        <p className="match-count">
          {page.tasks.length === 0 ? "No tasks" : `${page.tasks.length}${page.next ? "+" : ""} task${page.tasks.length === 1 ? "" : "s"}`}
          {after ? " on this page" : ""}
        </p>
      </div>
      <TaskFilters key={JSON.stringify(filters)} filters={filters} limit={limit} />
      <TasksTable tasks={tasks} nowMs={nowMs} />
      <nav aria-label="Pagination" className="pager">
        {after ? <Link href={taskListHref({ filters, limit })}>« First page</Link> : <span className="disabled" aria-disabled="true">« First page</span>}
        {page.next ? (
          <Link href={taskListHref({ filters, limit }, page.next)} rel="next">
            Next page ›
          </Link>
        ) : (
          <span className="disabled" aria-disabled="true">
            Next page ›
          </span>
        )}
      </nav>
    </section>
  );
}
