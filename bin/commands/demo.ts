// hindsight demo [--reset]: loads the demo data set (into an empty database), or replaces it with --reset.
import { parseArgs } from "node:util";
import { loadDemoDataIfEmpty, resetDemoData } from "../../lib/seed/demo.ts";
import { withDatabase } from "../db-session.ts";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";

const demo: Command = async (args, io) => {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { reset: { type: "boolean" } } }));
  } catch (err) {
    writeLine(io.stderr, `hindsight demo: ${(err as Error).message}\nusage: hindsight demo [--reset]`);
    return EXIT_USAGE;
  }
  return withDatabase(async () => {
    if (values.reset) {
      const { summaries, versions, bundles } = await resetDemoData();
      writeLine(io.stdout, `demo data reloaded: ${summaries.reduce((n, s) => n + s.accepted, 0)} records, ${versions} Cerbos policy versions, ${bundles} OPA bundles`);
      return 0;
    }
    const loaded = await loadDemoDataIfEmpty();
    writeLine(io.stdout, loaded ? `demo data loaded: ${loaded.accepted} records` : "the database already holds records; use --reset to reload the demo set");
    return 0;
  });
};

export default demo;
