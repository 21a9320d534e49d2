import Link from "next/link";

export default function NotFound() {
  return (
    <section className="panel">
      <h1>Not found</h1>
      <p>
        Nothing is stored under this address. <Link href="/decisions">Back to the decisions</Link>
      </p>
    </section>
  );
}
