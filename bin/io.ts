import type { Readable, Writable } from "node:stream";

/** Streams a command talks to; tests pass their own. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** A subcommand: parses its own arguments, returns the process exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** Exit code for unusable arguments (the CLI contracts in the issues say 2). */
export const EXIT_USAGE = 2;

export function writeLine(stream: Writable, line: string): void {
  stream.write(line.endsWith("\n") ? line : line + "\n");
}
