-- CreateIndex
CREATE INDEX "hops_resource_id_time_idx" ON "hops"("resource_id", "decided_at" DESC, "id" DESC);
