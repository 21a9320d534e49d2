// Per-file comparison of two versions in unified form: added lines green, removed red, hunk headers
// marked. Added and removed files show their whole content as added / removed lines.
import type { FileDiff } from "@/lib/policies";

const STATUS_CLASS: Record<FileDiff["status"], string> = {
  added: "effect effect-allow",
  removed: "effect effect-deny",
  changed: "effect effect-conditional",
  same: "effect",
};

function lineClass(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---")) return "diff-file";
  if (line.startsWith("@@")) return "diff-hunk";
  if (line.startsWith("+")) return "diff-add";
  if (line.startsWith("-")) return "diff-del";
  if (line.startsWith("\\")) return "diff-note";
  return "diff-ctx";
}

function wholeFileLines(content: string, sign: "+" | "-"): string[] {
  const lines = content.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => sign + l);
}

export function DiffLines({ lines, label }: { lines: string[]; label: string }) {
  return (
    <pre className="diff" aria-label={label} tabIndex={0}>
      {lines.map((line, i) => (
        <span key={i} className={`diff-line ${lineClass(line)}`}>
          {line || " "}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

export function FileDiffView({ diff, content }: { diff: FileDiff; content?: string }) {
  let lines: string[] = [];
  if (diff.status === "changed" && diff.unifiedDiff) lines = diff.unifiedDiff.split("\n").filter((l, i, all) => !(i === all.length - 1 && l === ""));
  else if (diff.status === "added" && content !== undefined) lines = wholeFileLines(content, "+");
  else if (diff.status === "removed" && content !== undefined) lines = wholeFileLines(content, "-");
  return (
    <section className="panel file-diff" aria-label={`Diff of ${diff.path}`}>
      <h3>
        <code>{diff.path}</code> <span className={STATUS_CLASS[diff.status]}>{diff.status}</span>{" "}
        <span className="diff-stat">
          <span className="diff-stat-add">+{diff.additions}</span> <span className="diff-stat-del">−{diff.deletions}</span>
        </span>
      </h3>
      {lines.length ? <DiffLines lines={lines} label={`Unified diff of ${diff.path}`} /> : null}
    </section>
  );
}
