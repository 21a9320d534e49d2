import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SiteNav } from "@/components/site-nav";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Hindsight", template: "%s · Hindsight" },
  description: "Forensics workbench for authorization decisions made about AI agents",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/decisions" className="brand">
            Hindsight
          </Link>
          <SiteNav />
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
