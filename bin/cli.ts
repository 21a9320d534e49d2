import { type CliIO, type Command, EXIT_USAGE, writeLine } from "./io.ts";

// Each subcommand lives in bin/commands/<name>.ts and is loaded lazily, so `hindsight check`
// never pays for the database client and `hindsight ingest` never loads the policy engine.
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {};

export function registerCommand(name: string, summary: string, load: () => Promise<Command>): void {
  COMMANDS[name] = { summary, load };
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ["usage: hindsight <command> [options]", "", "commands:", ...lines].join("\n");
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  await import("./commands/index.ts");
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    writeLine(name ? io.stdout : io.stderr, usage());
    return name ? 0 : EXIT_USAGE;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    writeLine(io.stderr, `hindsight: unknown command "${name}"\n${usage()}`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  return command(rest, io);
}
