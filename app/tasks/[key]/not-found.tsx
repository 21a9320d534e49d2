import Link from "next/link";

export default function TaskNotFound() {
  return (
    <section>
      <h1>Task not found</h1>
      <p>
        No task has this key or task id. Tasks appear a moment after their decisions are ingested. <Link href="/tasks">All tasks</Link>
      </p>
    </section>
  );
}
