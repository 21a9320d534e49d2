// User administration: every account with its roles and state, creating local accounts, changing roles,
// resetting passwords, disabling. Every change is in the audit trail.
import type { Metadata } from "next";
import Link from "next/link";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { RoleLegend } from "@/components/admin/role-legend";
import { UsersTable } from "@/components/admin/users-table";
import { requireUser } from "@/lib/auth/current";
import { listUsers } from "@/lib/auth/users";
import { getPool } from "@/lib/db/pool";
import "../admin.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const [me, users] = await Promise.all([requireUser(), listUsers(getPool())]);
  return (
    <section>
      <h1>Users</h1>
      <p className="muted">
        Local accounts sign in with a password; OpenID Connect accounts are created at their first sign-in and get their roles
        here. Role changes apply to the user&apos;s next request; disabling or resetting a password signs them out. Every change
        is in the <Link href="/audit?action=user">audit trail</Link>.
      </p>
      <RoleLegend />
      <CreateUserForm />
      <h2>Accounts</h2>
      <UsersTable users={users} selfId={me.userId} nowMs={Date.now()} />
    </section>
  );
}
