-- CreateTable
CREATE TABLE "ingest_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_batches" (
    "id" BIGSERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "origin" TEXT,
    "token_id" UUID,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "duplicate" INTEGER NOT NULL DEFAULT 0,
    "conflict" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "rejections" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "ingest_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "records" (
    "id" BIGSERIAL NOT NULL,
    "engine" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "pdp_instance" TEXT NOT NULL,
    "record_key" TEXT NOT NULL,
    "raw_bytes" BYTEA NOT NULL,
    "raw_sha256" TEXT NOT NULL,
    "content_sha256" TEXT NOT NULL,
    "parsed" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(6) NOT NULL,
    "ingested_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "batch_id" BIGINT NOT NULL,
    "is_conflict" BOOLEAN NOT NULL DEFAULT false,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "leaf_index" BIGINT NOT NULL,
    "leaf_hash" TEXT NOT NULL,

    CONSTRAINT "records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hops" (
    "id" BIGSERIAL NOT NULL,
    "record_id" BIGINT NOT NULL,
    "input_index" INTEGER NOT NULL,
    "decided_at" TIMESTAMPTZ(6) NOT NULL,
    "engine" TEXT NOT NULL,
    "pdp_instance" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "record_key" TEXT NOT NULL,
    "request_id" TEXT,
    "principal_id" TEXT,
    "roles" TEXT[],
    "acting_agent" TEXT,
    "action" TEXT NOT NULL,
    "resource_kind" TEXT,
    "resource_id" TEXT,
    "effect" TEXT NOT NULL,
    "policy" TEXT,
    "scope" TEXT,
    "policy_version" TEXT,
    "policy_source_ref" TEXT,
    "derived_roles" TEXT[],
    "is_conflict" BOOLEAN NOT NULL DEFAULT false,
    "search_text" TEXT NOT NULL,

    CONSTRAINT "hops_pkey" PRIMARY KEY ("id")
);

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

-- CreateTable
CREATE TABLE "merkle_nodes" (
    "level" INTEGER NOT NULL,
    "idx" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "merkle_nodes_pkey" PRIMARY KEY ("level","idx")
);

-- CreateTable
CREATE TABLE "merkle_log_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "tree_size" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "merkle_log_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "merkle_checkpoints" (
    "tree_size" BIGINT NOT NULL,
    "root_hash" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "merkle_checkpoints_pkey" PRIMARY KEY ("tree_size")
);

-- CreateIndex
CREATE UNIQUE INDEX "ingest_tokens_token_hash_key" ON "ingest_tokens"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "records_leaf_index_key" ON "records"("leaf_index");

-- CreateIndex
CREATE INDEX "records_key_idx" ON "records"("engine", "pdp_instance", "kind", "record_key");

-- CreateIndex
CREATE INDEX "records_decided_at_idx" ON "records"("decided_at");

-- CreateIndex
CREATE UNIQUE INDEX "records_identity_key" ON "records"("engine", "pdp_instance", "kind", "record_key", "content_sha256");

-- CreateIndex
CREATE INDEX "hops_time_idx" ON "hops"("decided_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hops_effect_time_idx" ON "hops"("effect", "decided_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hops_principal_time_idx" ON "hops"("principal_id", "decided_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hops_agent_time_idx" ON "hops"("acting_agent", "decided_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hops_resource_kind_time_idx" ON "hops"("resource_kind", "decided_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hops_action_time_idx" ON "hops"("action", "decided_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hops_policy_time_idx" ON "hops"("policy", "decided_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hops_pdp_time_idx" ON "hops"("pdp_instance", "decided_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "hops_record_idx" ON "hops"("record_id");

-- CreateIndex
CREATE INDEX "hop_rollup_hourly_effect_bucket_idx" ON "hop_rollup_hourly"("effect", "bucket");

-- AddForeignKey
ALTER TABLE "records" ADD CONSTRAINT "records_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "ingest_batches"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hops" ADD CONSTRAINT "hops_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "records"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: records are append-only evidence. UPDATE, DELETE and TRUNCATE are rejected, with one
-- narrow exception so `hindsight demo --reset` can work: rows flagged is_demo may be deleted inside a
-- transaction that sets hindsight.demo_reset = 'on'. (is_demo itself cannot be changed: UPDATE is refused.)
CREATE FUNCTION records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'ROW' AND TG_OP = 'DELETE' AND OLD.is_demo
     AND coalesce(current_setting('hindsight.demo_reset', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'records are append-only: % on records is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER records_append_only_rows BEFORE UPDATE OR DELETE ON "records"
  FOR EACH ROW EXECUTE FUNCTION records_append_only();
CREATE TRIGGER records_append_only_truncate BEFORE TRUNCATE ON "records"
  FOR EACH STATEMENT EXECUTE FUNCTION records_append_only();

-- Hand-written: the Merkle log's size lives in one row, advanced inside each ingest transaction.
INSERT INTO "merkle_log_state" ("id", "tree_size") VALUES (1, 0);

-- Hand-written: the Merkle log and its signed checkpoints are append-only too.
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER merkle_nodes_append_only BEFORE UPDATE OR DELETE ON "merkle_nodes" FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER merkle_nodes_append_only_truncate BEFORE TRUNCATE ON "merkle_nodes" FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER merkle_checkpoints_append_only BEFORE UPDATE OR DELETE ON "merkle_checkpoints" FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER merkle_checkpoints_append_only_truncate BEFORE TRUNCATE ON "merkle_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION append_only();
