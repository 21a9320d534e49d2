// One task: summary, swimlane timeline with brush zoom, flagged hops, hop panel, delegation graph,
// correlation evidence and evidence export. `?hop=<id>` opens a hop; `from`/`to` zoom the timeline.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Facts } from "@/components/record/section";
import { DelegationGraph } from "@/components/tasks/delegation-graph";
import { EvidenceList } from "@/components/tasks/evidence-list";
import { ExportEvidenceForm } from "@/components/tasks/export-evidence-form";
import { FlagBadges } from "@/components/tasks/flag-badges";
import { TaskTimeline } from "@/components/tasks/task-timeline";
import { UtcTime } from "@/components/utc-time";
import { getPool } from "@/lib/db/pool";
import { getTask } from "@/lib/tasks/queries";
import { refreshTasks } from "@/lib/tasks/refresh";
import { buildDelegationGraph } from "@/lib/views/delegation-graph";
import { buildSwimlanes } from "@/lib/views/swimlanes";
import { taskHref } from "@/lib/views/task-list-params";
import { parseZoom } from "@/lib/views/time-scale";
import "../tasks.css";
import { auditView, currentUser, userCan } from "@/lib/auth/current";
import { getSensitiveRules } from "@/lib/masking/settings";
import { maskTaskView } from "@/lib/masking/task-view";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function taskKeyFrom(raw: string): string {
  // Next hands dynamic segments over still percent-encoded in some paths; decode once, tolerate bad escapes.
  try {
    return raw.includes("%") ? decodeURIComponent(raw) : raw;
  } catch {
    return raw;
  }
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Task ${taskKeyFrom((await params).key)}` };
}

export default async function TaskPage({ params, searchParams }: Props) {
  const key = taskKeyFrom((await params).key);
  const sp = await searchParams;
  const pool = getPool();
  void refreshTasks(pool).catch((err) => console.error("refreshTasks:", err));
  const found = await getTask(pool, key);
  if (!found) notFound();
  await auditView("task.view", found.taskKey);
  const [{ ruleSet }, user] = await Promise.all([getSensitiveRules(pool), currentUser()]);
  // Sensitive values (e-mail ids, client addresses, configured paths) leave masked; the hop panel offers Reveal.
  const masked = maskTaskView(found, buildSwimlanes(found), ruleSet);
  const task = masked.task;
  const model = masked.model;
  const nowMs = Date.now();
  const graph = buildDelegationGraph(model.hops);
  const zoom = parseZoom(first(sp.from), first(sp.to), model.domain);
  const hop = first(sp.hop) ?? null;

  return (
    <article className="task-page">
      <p>
        <Link href="/tasks">← Tasks</Link>
      </p>
      <div className="detail-header">
        <h1>Task {task.taskId ?? task.taskKey}</h1>
        <FlagBadges counts={task.flagSummary} />
        {task.inferred ? <span className="inferred-badge">inferred</span> : null}
      </div>
      <section className="panel" aria-label="Task summary">
        <Facts
          items={[
            ["task key", <code key="k">{task.taskKey}</code>],
            ["initiating human", task.initiatingHuman ?? <span className="muted">unknown</span>],
            ["actors", task.actors.join(" → ")],
            ["hops", `${task.hopCount} (${task.denyCount} denied, ${task.flagCount} flagged)`],
            ["confidence", `${Math.round(task.confidence * 100)}%${task.inferred ? " (includes inferred links)" : ""}`],
            [
              "active",
              <span key="a">
                <UtcTime iso={task.firstAt} nowMs={nowMs} /> – <UtcTime iso={task.lastAt} nowMs={nowMs} />
              </span>,
            ],
            ["tools / resources", task.resources.join(", ")],
          ]}
        />
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <TaskTimeline
          key={task.taskKey}
          basePath={taskHref(task.taskKey)}
          model={model}
          initialZoom={zoom}
          initialHop={hop}
          nowMs={nowMs}
          masked={masked.fields}
          canReveal={userCan(user, "sensitive.reveal")}
        />
      </section>

      <section className="panel" aria-labelledby="graph-title">
        <h2 id="graph-title">Delegation graph</h2>
        <DelegationGraph graph={graph} />
      </section>

      <section className="panel" aria-labelledby="evidence-title">
        <h2 id="evidence-title">Correlation evidence</h2>
        <EvidenceList evidence={task.evidence} edges={task.edges} />
      </section>

      <section className="panel" aria-labelledby="export-title">
        <h2 id="export-title">Export evidence</h2>
        <p className="muted">A signed, offline-verifiable bundle of this task&apos;s records with inclusion proofs.</p>
        <ExportEvidenceForm task={task.taskId ?? task.taskKey} />
      </section>
    </article>
  );
}
