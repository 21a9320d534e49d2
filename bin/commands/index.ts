import { registerCommand } from "../cli.ts";

// One line per subcommand. Keep alphabetical.
registerCommand("check", "evaluate CheckResources requests (NDJSON on stdin) with the embedded Cerbos engine", async () => (await import("./check.ts")).default);
registerCommand("demo", "load the demo data set (--reset reloads it)", async () => (await import("./demo.ts")).default);
registerCommand("evidence", "export signed evidence bundles and verify them offline", async () => (await import("./evidence.ts")).default);
registerCommand("impact", "replay stored decisions against a candidate policy version and count the flips", async () => (await import("./impact.ts")).default);
registerCommand("ingest", "ingest decision log files (Cerbos, OPA; gzip ok)", async () => (await import("./ingest.ts")).default);
registerCommand("policies", "import policy history (directory, archive, git repository or bundle), list and diff versions", async () => (await import("./policies.ts")).default);
registerCommand("rego", "evaluate Rego: OPA conformance-shaped case files or a query against a bundle", async () => (await import("./rego.ts")).default);
registerCommand("replay", "replay a Cerbos decision log against a policy directory or a git policy history", async () => (await import("./replay.ts")).default);
registerCommand("tokens", "create, list and revoke ingest tokens", async () => (await import("./tokens.ts")).default);
registerCommand("users", "add, list and change user accounts (local passwords, roles, disable)", async () => (await import("./users.ts")).default);
registerCommand("tasks", "list tasks and show one task's delegation timeline", async () => (await import("./tasks.ts")).default);
