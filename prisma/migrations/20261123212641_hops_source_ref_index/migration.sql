-- CreateIndex
CREATE INDEX "hops_source_ref_time_idx" ON "hops"("policy_source_ref", "decided_at" DESC, "id" DESC);
