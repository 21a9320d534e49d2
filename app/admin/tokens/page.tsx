// Ingest tokens: the bearer tokens PDPs and log shippers push decision logs with. Each is scoped to the
// endpoints it may call and the PDP instance it stands for, shown once, stored hashed, revocable.
import type { Metadata } from "next";
import Link from "next/link";
import { CreateTokenForm } from "@/components/admin/create-token-form";
import { TokensTable } from "@/components/admin/tokens-table";
import { getPool } from "@/lib/db/pool";
import { listTokens } from "@/lib/ingest/tokens";
import "../admin.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Ingest tokens" };

export default async function TokensPage() {
  const tokens = await listTokens(getPool());
  // Active first, newest first within each group.
  tokens.sort((a, b) => Number(!!a.revokedAt) - Number(!!b.revokedAt) || b.createdAt.getTime() - a.createdAt.getTime());
  return (
    <section>
      <h1>Ingest tokens</h1>
      <p className="muted">
        One token per PDP or log shipper, sent as <code>Authorization: Bearer &lt;token&gt;</code>. A token may push only to
        the endpoints it is scoped to and is rate limited per token (answers 429 with <code>Retry-After</code>). Creating and
        revoking are in the <Link href="/audit?action=token">audit trail</Link>.
      </p>
      <CreateTokenForm />
      <h2>Tokens</h2>
      <TokensTable tokens={tokens} nowMs={Date.now()} />
    </section>
  );
}
