// Shown while the server runs the page query (first visit, new filters, next page).
export default function Loading() {
  return (
    <section aria-busy="true">
      <h1>Decisions</h1>
      <p role="status" className="loading">
        Loading decisions…
      </p>
    </section>
  );
}
