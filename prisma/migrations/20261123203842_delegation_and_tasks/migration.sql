-- CreateTable
CREATE TABLE "hop_delegation" (
    "hop_id" BIGINT NOT NULL,
    "decided_at" TIMESTAMPTZ(6) NOT NULL,
    "initiating_human" TEXT,
    "acting_agent" TEXT NOT NULL,
    "actor_chain" TEXT[],
    "delegated_scopes" TEXT[],
    "explicit_task_id" TEXT,
    "txn" TEXT,
    "trace_id" TEXT,
    "facts" JSONB NOT NULL,

    CONSTRAINT "hop_delegation_pkey" PRIMARY KEY ("hop_id")
);

-- CreateTable
CREATE TABLE "tasks" (
    "task_key" TEXT NOT NULL,
    "task_id" TEXT,
    "confidence" DOUBLE PRECISION NOT NULL,
    "inferred" BOOLEAN NOT NULL,
    "initiating_human" TEXT,
    "first_at" TIMESTAMPTZ(6) NOT NULL,
    "last_at" TIMESTAMPTZ(6) NOT NULL,
    "hop_count" INTEGER NOT NULL,
    "deny_count" INTEGER NOT NULL,
    "flag_count" INTEGER NOT NULL,
    "actors" TEXT[],
    "resources" TEXT[],
    "evidence" JSONB NOT NULL,
    "edges" JSONB NOT NULL,
    "flag_summary" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("task_key")
);

-- CreateTable
CREATE TABLE "task_hops" (
    "hop_id" BIGINT NOT NULL,
    "task_key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "flags" JSONB NOT NULL DEFAULT '[]',
    "flag_codes" TEXT[],

    CONSTRAINT "task_hops_pkey" PRIMARY KEY ("hop_id")
);

-- CreateTable
CREATE TABLE "delegation_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "last_hop_id" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "delegation_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "hop_delegation_task_id_idx" ON "hop_delegation"("explicit_task_id");

-- CreateIndex
CREATE INDEX "hop_delegation_txn_idx" ON "hop_delegation"("txn");

-- CreateIndex
CREATE INDEX "hop_delegation_trace_idx" ON "hop_delegation"("trace_id");

-- CreateIndex
CREATE INDEX "hop_delegation_human_time_idx" ON "hop_delegation"("initiating_human", "decided_at");

-- CreateIndex
CREATE INDEX "tasks_last_at_idx" ON "tasks"("last_at" DESC);

-- CreateIndex
CREATE INDEX "tasks_human_idx" ON "tasks"("initiating_human", "last_at" DESC);

-- CreateIndex
CREATE INDEX "task_hops_task_idx" ON "task_hops"("task_key", "position");

-- Hand-written: the derivation watermark row.
INSERT INTO "delegation_state" ("id", "last_hop_id") VALUES (1, 0);
