-- CreateTable
CREATE TABLE "policy_blobs" (
    "sha256" TEXT NOT NULL,
    "content" TEXT NOT NULL,

    CONSTRAINT "policy_blobs_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" BIGSERIAL NOT NULL,
    "content_hash" TEXT NOT NULL,
    "engine" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "file_count" INTEGER NOT NULL,
    "compile_errors" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_version_files" (
    "version_id" BIGINT NOT NULL,
    "path" TEXT NOT NULL,
    "blob_sha256" TEXT NOT NULL,

    CONSTRAINT "policy_version_files_pkey" PRIMARY KEY ("version_id","path")
);

-- CreateTable
CREATE TABLE "policy_commits" (
    "source" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "version_id" BIGINT NOT NULL,
    "committed_at" TIMESTAMPTZ(3) NOT NULL,
    "author" TEXT,
    "message" TEXT,

    CONSTRAINT "policy_commits_pkey" PRIMARY KEY ("source","ref")
);

-- CreateTable
CREATE TABLE "impact_runs" (
    "id" BIGSERIAL NOT NULL,
    "candidate_id" BIGINT NOT NULL,
    "filters" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "requested_by" TEXT,
    "total_estimate" INTEGER,
    "decisions_done" INTEGER NOT NULL DEFAULT 0,
    "actions_done" INTEGER NOT NULL DEFAULT 0,
    "flips_allow_deny" INTEGER NOT NULL DEFAULT 0,
    "flips_deny_allow" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "skip_reasons" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "impact_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "impact_flips" (
    "run_id" BIGINT NOT NULL,
    "hop_id" BIGINT NOT NULL,
    "record_id" BIGINT NOT NULL,
    "decided_at" TIMESTAMPTZ(6) NOT NULL,
    "action" TEXT NOT NULL,
    "from_effect" TEXT NOT NULL,
    "to_effect" TEXT NOT NULL,
    "principal_id" TEXT,
    "acting_agent" TEXT,
    "resource_kind" TEXT,
    "resource_id" TEXT,
    "from_policy" TEXT,
    "to_policy" TEXT,

    CONSTRAINT "impact_flips_pkey" PRIMARY KEY ("run_id","hop_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_content_hash_key" ON "policy_versions"("content_hash");

-- CreateIndex
CREATE INDEX "policy_commits_ref_idx" ON "policy_commits"("ref");

-- CreateIndex
CREATE INDEX "policy_commits_source_time_idx" ON "policy_commits"("source", "committed_at");

-- CreateIndex
CREATE INDEX "policy_commits_version_idx" ON "policy_commits"("version_id");

-- CreateIndex
CREATE INDEX "impact_flips_run_kind_idx" ON "impact_flips"("run_id", "from_effect", "to_effect");

-- Hand-written: policy versions are immutable snapshots (append_only() comes from the init migration).
CREATE TRIGGER policy_blobs_append_only BEFORE UPDATE OR DELETE ON "policy_blobs" FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER policy_versions_append_only BEFORE UPDATE OR DELETE ON "policy_versions" FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER policy_version_files_append_only BEFORE UPDATE OR DELETE ON "policy_version_files" FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER policy_commits_append_only BEFORE UPDATE OR DELETE ON "policy_commits" FOR EACH ROW EXECUTE FUNCTION append_only();
