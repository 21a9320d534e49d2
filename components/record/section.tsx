// A titled block of the detail page; `id` makes it linkable from the table of contents.
import type { ReactNode } from "react";

export function Section({ id, title, children, className }: { id?: string; title: string; children: ReactNode; className?: string }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section id={id} aria-labelledby={headingId} className={`panel ${className ?? ""}`}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** A definition list of label → value rows; empty values are left out. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  const shown = items.filter(([, v]) => v !== undefined && v !== null && v !== "");
  return (
    <dl className="facts">
      {shown.map(([label, value]) => (
        <div key={label} style={{ display: "contents" }}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
