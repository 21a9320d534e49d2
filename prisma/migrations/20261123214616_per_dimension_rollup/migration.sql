-- DropTable
DROP TABLE "hop_rollup_hourly";

-- CreateTable
CREATE TABLE "hop_rollup" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "dim" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "effect" TEXT NOT NULL,
    "hops" INTEGER NOT NULL,

    CONSTRAINT "hop_rollup_pkey" PRIMARY KEY ("dim","value","bucket","effect")
);

-- CreateIndex
CREATE INDEX "hop_rollup_dim_bucket_idx" ON "hop_rollup"("dim", "bucket");

-- Hand-written: fill the new rollup from the hops already stored (the same query as rebuildRollup).
INSERT INTO "hop_rollup" ("bucket", "dim", "value", "effect", "hops")
SELECT date_trunc('hour', h.decided_at, 'UTC'), d.dim, d.value, h.effect, count(*)::int
  FROM "hops" h CROSS JOIN LATERAL (VALUES ('all', ''), ('engine', h.engine), ('pdp', h.pdp_instance), ('action', h.action),
       ('kind', coalesce(h.resource_kind, '')), ('policy', coalesce(h.policy, '')), ('ref', coalesce(h.policy_source_ref, '')),
       ('principal', coalesce(h.principal_id, '')), ('agent', coalesce(h.acting_agent, ''))) AS d(dim, value)
 WHERE NOT h.is_conflict
 GROUP BY 1, 2, 3, 4;
