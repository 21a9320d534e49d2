// Shown while the server reads the tasks page.
export default function Loading() {
  return (
    <section aria-busy="true">
      <h1>Tasks</h1>
      <p role="status" className="loading">
        Loading tasks…
      </p>
    </section>
  );
}
