"use client";
// Header navigation; marks the current section for sighted users and screen readers (aria-current).
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/decisions", label: "Decisions", matches: ["/decisions", "/records"] },
  { href: "/tasks", label: "Tasks", matches: ["/tasks"] },
  { href: "/trends", label: "Trends", matches: ["/trends"] },
  { href: "/policies", label: "Policies", matches: ["/policies"] },
  { href: "/impact", label: "Impact", matches: ["/impact"] },
  { href: "/ingest", label: "Upload", matches: ["/ingest"] },
];

export function SiteNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="site-nav">
      {LINKS.map((link) => {
        const current = link.matches.some((m) => pathname === m || pathname.startsWith(`${m}/`));
        return (
          <Link key={link.href} href={link.href} aria-current={current ? "page" : undefined}>
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
