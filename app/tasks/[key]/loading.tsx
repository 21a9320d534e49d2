// Shown while the server reads the task and its hops.
export default function Loading() {
  return (
    <section aria-busy="true">
      <h1>Task</h1>
      <p role="status" className="loading">
        Loading the task timeline…
      </p>
    </section>
  );
}
