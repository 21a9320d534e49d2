"use client";
// Header navigation: only the sections the user's roles open; marks the current one for sighted users
// and screen readers (aria-current).
import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavLink {
  href: string;
  label: string;
  matches: string[];
}

export function SiteNav({ links }: { links: NavLink[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="site-nav">
      {links.map((link) => {
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
