-- CreateTable
CREATE TABLE "hop_rollup_hourly" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "engine" TEXT NOT NULL,
    "pdp_instance" TEXT NOT NULL,
    "effect" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resource_kind" TEXT NOT NULL,
    "policy" TEXT NOT NULL,
    "policy_source_ref" TEXT NOT NULL,
    "principal_id" TEXT NOT NULL,
    "acting_agent" TEXT NOT NULL,
    "hops" INTEGER NOT NULL,

    CONSTRAINT "hop_rollup_hourly_pkey" PRIMARY KEY ("bucket","engine","pdp_instance","effect","action","resource_kind","policy","policy_source_ref","principal_id","acting_agent")
);

-- CreateIndex
CREATE INDEX "hop_rollup_hourly_effect_bucket_idx" ON "hop_rollup_hourly"("effect", "bucket");
