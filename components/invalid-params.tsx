// What a page shows for a link with bad parameters: each problem, named, and a way back to a clean view.
import Link from "next/link";

export function InvalidParams({ errors, resetHref, resetLabel }: { errors: string[]; resetHref: string; resetLabel: string }) {
  return (
    <div className="panel error-panel" role="alert">
      <h2>This link has invalid parameters</h2>
      <ul>
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
      <p>
        <Link href={resetHref}>{resetLabel}</Link>
      </p>
    </div>
  );
}
