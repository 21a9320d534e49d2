// The files of a version as a folder tree; each file links to the viewer (`?file=`), the open one is marked.
import Link from "next/link";

interface Folder {
  folders: Map<string, Folder>;
  files: string[];
}

function buildTree(paths: string[]): Folder {
  const root: Folder = { folders: new Map(), files: [] };
  for (const p of paths) {
    const parts = p.split("/");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.folders.get(part);
      if (!next) node.folders.set(part, (next = { folders: new Map(), files: [] }));
      node = next;
    }
    node.files.push(p);
  }
  return root;
}

function FolderList({ folder, hrefOf, current, errorCounts }: { folder: Folder; hrefOf: (path: string) => string; current?: string; errorCounts: Map<string, number> }) {
  return (
    <ul>
      {[...folder.folders.entries()].map(([name, sub]) => (
        <li key={`d:${name}`}>
          <span className="tree-folder">{name}/</span>
          <FolderList folder={sub} hrefOf={hrefOf} current={current} errorCounts={errorCounts} />
        </li>
      ))}
      {folder.files.map((path) => {
        const errors = errorCounts.get(path) ?? 0;
        return (
          <li key={path}>
            <Link href={hrefOf(path)} aria-current={path === current ? "page" : undefined} className="tree-file">
              {path.split("/").pop()}
            </Link>
            {errors ? <span className="flag">{errors} error{errors === 1 ? "" : "s"}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

export function FileTree({ paths, hrefOf, current, errorCounts }: { paths: string[]; hrefOf: (path: string) => string; current?: string; errorCounts: Map<string, number> }) {
  return (
    <nav aria-label="Files" className="file-tree">
      <FolderList folder={buildTree(paths)} hrefOf={hrefOf} current={current} errorCounts={errorCounts} />
    </nav>
  );
}
