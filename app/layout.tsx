import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SiteNav } from "@/components/site-nav";
import { UserMenu } from "@/components/user-menu";
import { currentUser } from "@/lib/auth/current";
import { sectionsFor } from "@/lib/auth/navigation";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Hindsight", template: "%s · Hindsight" },
  description: "Forensics workbench for authorization decisions made about AI agents",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const links = user ? sectionsFor(user.roles).map(({ href, label, matches }) => ({ href, label, matches })) : [];
  return (
    <html lang="en">
      <head>{user ? <meta name="csrf-token" content={user.csrf} /> : null}</head>
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Hindsight
          </Link>
          <SiteNav links={links} />
          {user ? <UserMenu username={user.username} roles={user.roles} /> : null}
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
