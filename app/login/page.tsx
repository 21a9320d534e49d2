import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getPool } from "@/lib/db/pool";
import { countUsers } from "@/lib/auth/users";
import { oidcConfigured } from "@/lib/auth/oidc-config";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = typeof params.next === "string" ? params.next : undefined;
  const error = typeof params.error === "string" ? params.error.slice(0, 300) : undefined;
  if ((await countUsers(getPool())) === 0) redirect("/setup");
  const oidc = oidcConfigured();
  return (
    <section className="panel auth-card">
      <h1>Sign in to Hindsight</h1>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      {oidc ? (
        <p>
          <a className="button" href={`/api/auth/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ""}`}>
            Sign in with {oidc.label}
          </a>
        </p>
      ) : null}
      <LoginForm next={next} />
      <p className="muted">
        No account? Ask an admin. <Link href="/setup">First-run set-up</Link>
      </p>
    </section>
  );
}
