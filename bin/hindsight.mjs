#!/usr/bin/env node
// Launcher: the CLI is TypeScript; tsx compiles it on the fly so `npx hindsight` needs no build step.
import { register } from "tsx/esm/api";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

process.env.CHECKPOINT_DISABLE ??= "1";
register();
const here = path.dirname(fileURLToPath(import.meta.url));
const { main } = await import(pathToFileURL(path.join(here, "cli.ts")).href);
const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
