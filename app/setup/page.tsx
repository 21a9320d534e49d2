import type { Metadata } from "next";
import Link from "next/link";
import { SetupForm } from "@/components/auth/setup-form";
import { getPool } from "@/lib/db/pool";
import { countUsers } from "@/lib/auth/users";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const done = (await countUsers(getPool())) > 0;
  return (
    <section className="panel auth-card">
      <h1>First-run set-up</h1>
      {done ? (
        <p>
          Set-up is done: this Hindsight already has users. <Link href="/login">Sign in</Link>
        </p>
      ) : (
        <>
          <p>No one can sign in yet. Create the admin account with the set-up code that the server printed when it started.</p>
          <SetupForm code={typeof params.code === "string" ? params.code.slice(0, 200) : undefined} />
        </>
      )}
    </section>
  );
}
