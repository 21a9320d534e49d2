// Shown while the server computes the trend aggregates.
export default function Loading() {
  return (
    <section aria-busy="true">
      <h1>Trends</h1>
      <p role="status" className="loading">
        Loading trends…
      </p>
    </section>
  );
}
