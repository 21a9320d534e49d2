import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/current";
import { sectionsFor } from "@/lib/auth/navigation";

export const dynamic = "force-dynamic";

// Home: the first section the user's roles open (the explorer for investigators and auditors).
export default async function Home() {
  const user = await requireUser();
  const first = sectionsFor(user.roles)[0];
  if (first) redirect(first.href);
  return (
    <section>
      <h1>Welcome, {user.displayName ?? user.username}</h1>
      <p>Your account has no roles yet, so there is nothing to show. Ask an admin to give you a role (investigator, auditor or policy owner).</p>
    </section>
  );
}
