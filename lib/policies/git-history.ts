// Policy history straight from a git repository or bundle, without a database: an in-memory index
// of commits → the snapshot in force, resolution of decision records against it (same ladder as
// the database), and each snapshot compiled once, lazily. Used by `hindsight replay --git`.
import { type CerbosPolicySet, compileCerbosPolicies, type EngineConfig } from "../engine/cerbos/index.ts";
import type { CompileError } from "../engine/types.ts";
import { GitBlobReader, type GitCommit, type GitRepository, normalizeSubdir, openGitRepository, readGitHistory, readPolicySnapshot, runGit, snapshotCommitsOf } from "./git.ts";
import { policyRefsOf } from "./record-refs.ts";
import { climbResolutionLadder } from "./resolution-ladder.ts";
import { toCerbosSources } from "./snapshot.ts";
import type { ResolvedBy } from "./types.ts";

export interface ResolvedCommit {
  /** The commit the record names (or that preceded it); its snapshot may come from an ancestor. */
  commit: GitCommit;
  resolvedBy: ResolvedBy;
  inferred: boolean;
}

export type CompiledCommit = { ok: true; policySet: CerbosPolicySet } | { ok: false; errors: CompileError[] };

export class GitPolicyHistory {
  private readonly byHash = new Map<string, GitCommit>();
  private readonly snapshotOf: Map<string, string | undefined>;
  /** Commits with a snapshot, by commit time (stable on topological order), for time inference. */
  private readonly timeline: GitCommit[];
  private readonly compiled = new Map<string, Promise<CompiledCommit>>();
  private readonly blobs: GitBlobReader;
  private compileCount = 0;

  private constructor(
    private readonly repo: GitRepository,
    private readonly subdir: string,
    readonly commits: GitCommit[],
  ) {
    for (const c of commits) this.byHash.set(c.hash, c);
    this.snapshotOf = snapshotCommitsOf(commits);
    this.timeline = commits.filter((c) => this.snapshotOf.get(c.hash) !== undefined).sort((a, b) => a.committedAt.getTime() - b.committedAt.getTime());
    this.blobs = new GitBlobReader(repo);
  }

  static async open(pathOrBundle: string, opts: { subdir?: string } = {}): Promise<GitPolicyHistory> {
    const repo = await openGitRepository(pathOrBundle);
    try {
      const subdir = normalizeSubdir(opts.subdir);
      return new GitPolicyHistory(repo, subdir, await readGitHistory(repo, subdir));
    } catch (err) {
      repo.close();
      throw err;
    }
  }

  close(): void {
    this.repo.close();
  }

  /** How many snapshots were compiled so far (each at most once). */
  get compiles(): number {
    return this.compileCount;
  }

  /** A commit by full hash or unambiguous prefix (≥ 4 hex digits) among the history; undefined otherwise. */
  findCommit(ref: string): GitCommit | undefined {
    const r = ref.toLowerCase();
    const exact = this.byHash.get(r);
    if (exact) return exact;
    if (!/^[0-9a-f]{4,39}$/.test(r)) return undefined;
    const matches = this.commits.filter((c) => c.hash.startsWith(r));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Any revision git understands (hash, branch, tag, HEAD~2), as a commit of this history. */
  async revParse(rev: string): Promise<GitCommit> {
    const out = await runGit(this.repo.dir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]).catch(() => null);
    const hash = out?.toString("utf8").trim();
    const commit = hash ? this.byHash.get(hash) : undefined;
    if (!commit) throw new Error(hash ? `${rev} (${hash}) is not in the history of HEAD` : `unknown revision ${rev}`);
    if (this.snapshotOf.get(commit.hash) === undefined) throw new Error(`${rev} (${commit.hash.slice(0, 7)}) has no policy files yet`);
    return commit;
  }

  /** The commit in force for a decision record: policySource hash, commit_hash, then time (see resolution-ladder.ts). */
  async resolve(entry: Record<string, unknown>, decidedAt: Date): Promise<ResolvedCommit | null> {
    const usable = (c: GitCommit | undefined) => (c && this.snapshotOf.get(c.hash) !== undefined ? c : undefined);
    const result = await climbResolutionLadder<GitCommit>(policyRefsOf(entry), decidedAt, {
      byRef: async (ref) => usable(this.findCommit(ref)),
      byTime: async (at) => {
        let found: GitCommit | undefined;
        for (const c of this.timeline) {
          if (c.committedAt.getTime() > at.getTime()) break;
          found = c;
        }
        return found;
      },
    });
    return result ? { commit: result.value, resolvedBy: result.resolvedBy, inferred: result.inferred } : null;
  }

  /**
   * The nearest commit at or before `commit` (first-parent line) whose snapshot compiles. A Cerbos
   * git store that pulls a commit it cannot compile keeps serving its last valid policies while
   * reporting the new head (observed with Cerbos 0.55: "maintaining last valid state"), so a decision
   * naming a broken commit was made by an earlier snapshot.
   */
  async lastCompilingAt(commit: GitCommit, config: Partial<EngineConfig> = {}): Promise<{ commit: GitCommit; policySet: CerbosPolicySet } | undefined> {
    let current: GitCommit | undefined = commit;
    while (current) {
      const snapshot = this.snapshotOf.get(current.hash);
      if (snapshot === undefined) return undefined;
      const compiled = await this.policySetAt(current, config);
      if (compiled.ok) return { commit: current, policySet: compiled.policySet };
      const parent: string | undefined = this.byHash.get(snapshot)!.parents[0];
      current = parent === undefined ? undefined : this.byHash.get(parent);
    }
    return undefined;
  }

  /** The compiled snapshot in force at a commit; compiled once per snapshot, shared by commits that did not change it. */
  policySetAt(commit: GitCommit, config: Partial<EngineConfig> = {}): Promise<CompiledCommit> {
    const snapshot = this.snapshotOf.get(commit.hash);
    if (snapshot === undefined) return Promise.resolve({ ok: false, errors: [{ file: "", message: `no policy files at ${commit.hash}` }] });
    let pending = this.compiled.get(snapshot);
    if (!pending) {
      pending = readPolicySnapshot(this.repo, this.blobs, snapshot, this.subdir).then((files): CompiledCommit => {
        this.compileCount++;
        const outcome = compileCerbosPolicies(toCerbosSources(files));
        return outcome.ok ? { ok: true, policySet: outcome.policySet! } : { ok: false, errors: outcome.errors };
      });
      this.compiled.set(snapshot, pending);
    }
    return pending.then((c) => (c.ok && Object.keys(config).length > 0 ? { ok: true, policySet: c.policySet.withConfig(config) } : c));
  }
}
