"use client";
// Last-resort error view: says what failed and offers a retry instead of a blank page.
import { useEffect } from "react";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className="panel" role="alert">
      <h1>Something went wrong</h1>
      <p>
        The page could not be loaded{error.digest ? ` (error ${error.digest}; details are in the server log)` : ""}. If the database
        was restarting, trying again usually helps.
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
