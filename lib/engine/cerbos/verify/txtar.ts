// Minimal txtar reader (golang.org/x/tools/txtar): a comment, then `-- name --` sections.
export function parseTxtar(text: string): { comment: string; files: Map<string, string> } {
  const files = new Map<string, string>();
  const lines = text.split("\n");
  let comment: string[] | undefined = [];
  let name: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (name !== undefined) files.set(name, body.join("\n") + (body.length ? "\n" : ""));
  };
  for (const line of lines) {
    const m = /^-- (.+) --$/.exec(line);
    if (m) {
      flush();
      comment = undefined;
      name = m[1]!.trim();
      body = [];
    } else if (comment) comment.push(line);
    else body.push(line);
  }
  flush();
  return { comment: (comment ?? []).join("\n"), files };
}
