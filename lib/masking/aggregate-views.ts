// Masking the views that show values gathered from many decisions (the task list; more below): each
// value is matched as the hop-document field it is (value-markers.ts), so the same rules that mask an
// explorer cell mask it here. These views offer no Reveal (a row is not one record); a masked value
// shows its numbered marker, and links that would carry it in their URL are left out. Pure.
import type { TaskSummary } from "../tasks/queries.ts";
import type { RuleSet } from "./rules.ts";
import { ValueMasker } from "./value-markers.ts";

/** A row of an aggregate view; `masked` says its value is a marker (render it without a link). */
export type Masked<T> = T & { masked?: boolean };

export function masker(rules: RuleSet): ValueMasker {
  return new ValueMasker(rules);
}

/**
 * The task list's rows: initiating human, actors and resources masked; everything a row carries to
 * the browser goes through here (resources are not a column but travel in the row). Task keys and
 * ids stay: they name the task (its URL) and the task page shows them as they are.
 */
export function maskTaskSummaries(tasks: TaskSummary[], m: ValueMasker): TaskSummary[] {
  return tasks.map((t) => ({
    ...t,
    initiatingHuman: m.text(t.initiatingHuman, "initiatingHuman"),
    actors: t.actors.map((a) => m.text(a, "actor")),
    resources: t.resources.map((r) => m.resource(r).text),
  }));
}
