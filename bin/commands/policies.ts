// hindsight policies import <dir | archive | git repo path | git bundle file> [--name <source>] [--subdir <dir>] [--json]
// hindsight policies list [--json]
// hindsight policies show <version> [--json]
// hindsight policies diff <versionA> <versionB> [--json]
// import stdout: one line per version `<versionId> <label> <contentHash12> <created|existing> <compiles|N compile errors>`
// (--json: an array of {version, commit, created}); stderr: a summary. Exit 1 when the import fails.
import { parseArgs } from "node:util";
import { commitsOf, diffVersions, findVersion, getVersionFiles, importPolicies, listVersions, type PolicyVersion } from "../../lib/policies/index.ts";
import { withDatabase } from "../db-session.ts";
import { type Command, EXIT_USAGE, writeLine } from "../io.ts";

const USAGE = [
  "usage: hindsight policies import <dir | archive (.zip, .tar.gz) | git repository | git bundle> [--name <source>] [--subdir <dir>] [--json]",
  "       hindsight policies list [--json]",
  "       hindsight policies show <version> [--json]",
  "       hindsight policies diff <version> <version> [--json]   (version: id, content hash or commit prefix, label)",
].join("\n");

function compileStatus(v: PolicyVersion): string {
  return v.compileErrors ? `${v.compileErrors.length} compile errors` : "compiles";
}

const policies: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { name: { type: "string" }, subdir: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    writeLine(io.stderr, `hindsight policies: ${(err as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  if (values.help) {
    writeLine(io.stdout, USAGE);
    return 0;
  }
  if (sub === "import" && rest.length === 1) {
    const target = rest[0]!;
    return withDatabase(async (pool) => {
      let imported;
      try {
        imported = await importPolicies(pool, target, { source: values.name, subdir: values.subdir });
      } catch (err) {
        writeLine(io.stderr, `hindsight policies import: ${(err as Error).message}`);
        return 1;
      }
      if (values.json) writeLine(io.stdout, JSON.stringify(imported));
      else
        for (const { version, created } of imported)
          writeLine(io.stdout, `${version.id} ${version.label} ${version.contentHash.slice(0, 12)} ${created ? "created" : "existing"} ${compileStatus(version)}`);
      const createdCount = imported.filter((i) => i.created).length;
      const source = imported[0]?.commit.source ?? values.name ?? target;
      writeLine(io.stderr, `imported ${imported.length} version${imported.length === 1 ? "" : "s"} (${createdCount} new) from ${target} as source ${source}`);
      return 0;
    });
  }
  if (sub === "list" && rest.length === 0) {
    return withDatabase(async (pool) => {
      const versions = await listVersions(pool);
      if (values.json) writeLine(io.stdout, JSON.stringify(versions));
      else
        for (const v of versions)
          writeLine(io.stdout, `${v.id} ${v.label} ${v.contentHash.slice(0, 12)} ${v.fileCount} files ${compileStatus(v)} ${v.source} ${v.createdAt.toISOString()}`);
      return 0;
    });
  }
  if (sub === "show" && rest.length === 1) {
    return withDatabase(async (pool) => {
      try {
        const version = await findVersion(pool, rest[0]!);
        if (!version) {
          writeLine(io.stderr, `hindsight policies show: no policy version "${rest[0]}"`);
          return 1;
        }
        const [commits, files] = await Promise.all([commitsOf(pool, version.id), getVersionFiles(pool, version.id)]);
        if (values.json) writeLine(io.stdout, JSON.stringify({ version, commits, files: files.map((f) => f.path) }));
        else {
          writeLine(io.stdout, `version ${version.id} ${version.label} ${version.contentHash} ${version.engine} ${compileStatus(version)}`);
          for (const e of version.compileErrors ?? []) writeLine(io.stdout, `  error ${e.file}${e.line ? `:${e.line}:${e.column ?? 0}` : ""} ${e.message}`);
          for (const c of commits) writeLine(io.stdout, `commit ${c.ref} ${c.committedAt.toISOString()} ${c.source} ${c.author ?? ""} ${(c.message ?? "").split("\n")[0]}`);
          for (const f of files) writeLine(io.stdout, `file ${f.path}`);
        }
        return 0;
      } catch (err) {
        writeLine(io.stderr, `hindsight policies show: ${(err as Error).message}`);
        return 1;
      }
    });
  }
  if (sub === "diff" && rest.length === 2) {
    return withDatabase(async (pool) => {
      try {
        const [a, b] = await Promise.all(rest.map((ref) => findVersion(pool, ref)));
        const missing = rest.find((_, i) => !(i === 0 ? a : b));
        if (missing !== undefined) {
          writeLine(io.stderr, `hindsight policies diff: no policy version "${missing}"`);
          return 1;
        }
        const diff = await diffVersions(pool, a!.id, b!.id);
        if (values.json) writeLine(io.stdout, JSON.stringify(diff));
        else
          for (const f of diff.files) {
            if (f.status === "same") continue;
            writeLine(io.stdout, `${f.status.padEnd(8)} ${f.path} (+${f.additions} -${f.deletions})`);
            if (f.unifiedDiff) io.stdout.write(f.unifiedDiff.endsWith("\n") ? f.unifiedDiff : f.unifiedDiff + "\n");
          }
        return 0;
      } catch (err) {
        writeLine(io.stderr, `hindsight policies diff: ${(err as Error).message}`);
        return 1;
      }
    });
  }
  writeLine(io.stderr, USAGE);
  return EXIT_USAGE;
};

export default policies;
