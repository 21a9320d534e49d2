// A policy file with line numbers and highlighting; each line is linkable (#L12) and lines named by a
// compile error are marked. Non-YAML files (JSON schemas, tests data) are shown plain.
import { highlightYaml, type Token } from "./yaml-highlight";

function plainTokens(text: string): Token[][] {
  const lines = text.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => (l ? [{ kind: "text", text: l }] : []));
}

export function YamlView({ path, content, errorLines }: { path: string; content: string; errorLines?: Map<number, string> }) {
  const yaml = /\.ya?ml$/i.test(path);
  const lines = yaml ? highlightYaml(content) : plainTokens(content);
  return (
    <div className="code-view" role="region" aria-label={`File ${path}`} tabIndex={0}>
      <table>
        <tbody>
          {lines.map((tokens, i) => {
            const n = i + 1;
            const error = errorLines?.get(n);
            return (
              <tr key={n} id={`L${n}`} className={error ? "code-error" : undefined} title={error}>
                <td className="code-ln">
                  <a href={`#L${n}`} aria-label={`line ${n}`}>
                    {n}
                  </a>
                </td>
                <td className="code-line">
                  {tokens.map((t, j) =>
                    t.kind === "text" ? (
                      t.text
                    ) : (
                      <span key={j} className={`tok-${t.kind}`}>
                        {t.text}
                      </span>
                    ),
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
