// hindsight ingest <files...> [--json] [--pdp <name>] [--engine cerbos|opa]
// Prints {accepted, duplicate, conflict, rejected:[{file, line, reason}]} (with --json: one JSON object on stdout).
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { ingestFile } from "../../lib/ingest/file.ts";
import type { Rejection } from "../../lib/ingest/ingest.ts";
import { refreshTasks } from "../../lib/tasks/refresh.ts";
import { withDatabase } from "../db-session.ts";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE = "usage: hindsight ingest <files...> [--json] [--pdp <name>] [--engine cerbos|opa]";
/** Files above this size get a progress bar (on a terminal). */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

const ingest: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: "boolean" }, pdp: { type: "string" }, engine: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    writeLine(io.stderr, `hindsight ingest: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals: files } = parsed;
  if (values.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  if (files.length === 0) {
    writeLine(io.stderr, `hindsight ingest: no files given\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (values.engine && values.engine !== "cerbos" && values.engine !== "opa") {
    writeLine(io.stderr, `hindsight ingest: --engine must be cerbos or opa, not "${values.engine}"`);
    return EXIT_USAGE;
  }
  const total = { accepted: 0, duplicate: 0, conflict: 0, rejected: [] as Rejection[] };
  let failed = false;
  const showProgress = (io.stderr as NodeJS.WriteStream).isTTY === true;
  await withDatabase(async (pool) => {
    for (const file of files) {
      let bar: cliProgress.SingleBar | null = null;
      try {
        const summary = await ingestFile(
          pool,
          file,
          { channel: "cli", origin: file, pdpInstance: values.pdp, engine: values.engine as "cerbos" | "opa" | undefined },
          ({ readBytes, totalBytes }) => {
            if (!showProgress || totalBytes < PROGRESS_MIN_BYTES) return;
            if (!bar) {
              bar = new cliProgress.SingleBar(
                { stream: io.stderr as NodeJS.WriteStream, format: `${file} [{bar}] {percentage}% | {value}/{total} MB | ETA {eta}s` },
                cliProgress.Presets.shades_classic,
              );
              bar.start(Math.ceil(totalBytes / 1e6), 0);
            }
            bar.update(Math.floor(readBytes / 1e6));
          },
        );
        total.accepted += summary.accepted;
        total.duplicate += summary.duplicate;
        total.conflict += summary.conflict;
        total.rejected.push(...summary.rejected);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === "ENOENT" || e.code === "EISDIR" || e.code === "EACCES" || e.code === "Z_DATA_ERROR" || e.code === "Z_BUF_ERROR") {
          total.rejected.push({ file, line: 0, reason: `cannot read ${file}: ${e.message}` });
          failed = true;
        } else {
          throw err;
        }
      } finally {
        (bar as cliProgress.SingleBar | null)?.stop();
      }
    }
    // Bring delegation facts and tasks up to date with what was just stored.
    if (total.accepted + total.conflict > 0) await refreshTasks(pool, { wait: true });
  });
  if (values.json) {
    writeLine(io.stdout, JSON.stringify(total));
  } else {
    writeLine(io.stdout, `accepted ${total.accepted}, duplicate ${total.duplicate}, conflict ${total.conflict}, rejected ${total.rejected.length}`);
    for (const r of total.rejected.slice(0, 50)) writeLine(io.stdout, `  ${r.file}:${r.line}: ${r.reason}`);
    if (total.rejected.length > 50) writeLine(io.stdout, `  … and ${total.rejected.length - 50} more (use --json for all)`);
  }
  return failed ? 1 : 0;
};

export default ingest;
