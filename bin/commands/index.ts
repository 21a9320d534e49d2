import { registerCommand } from "../cli.ts";

// One line per subcommand. Keep alphabetical.
registerCommand("demo", "load the demo data set (--reset reloads it)", async () => (await import("./demo.ts")).default);
registerCommand("ingest", "ingest decision log files (Cerbos, OPA; gzip ok)", async () => (await import("./ingest.ts")).default);
registerCommand("tokens", "create, list and revoke ingest tokens", async () => (await import("./tokens.ts")).default);
