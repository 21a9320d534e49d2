// Postgres advisory-lock keys, one per purpose, in one place so no two subsystems share one by accident.
export const ADVISORY_LOCKS = {
  /** Applying migrations (lib/db/migrate.ts). */
  migrations: 72707369,
  /** Ingest transactions: conflict detection and the Merkle log need them serialized. */
  ingest: 72707370,
  /** Deriving delegation facts and tasks (lib/tasks/refresh.ts). */
  delegation: 72707371,
  /** Creating or rotating evidence signing keys. */
  signingKeys: 72707372,
  /** First-run admin set-up: only one request may create the first user. */
  firstUser: 72707373,
} as const;
