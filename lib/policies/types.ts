// The contract of lib/policies: immutable policy versions, where they came from, and which one was in
// force for a decision. lib/replay (batch and single replay) and the UI are written against it.
import type { CompileError } from "../engine/types.ts";

export interface PolicyFile {
  /** Path relative to the policy root, forward slashes. */
  path: string;
  content: string;
}

export interface PolicyVersion {
  /** policy_versions.id as a decimal string. */
  id: string;
  /** SHA-256 over the sorted (path, SHA-256 of content) list: the version's identity. */
  contentHash: string;
  engine: "cerbos" | "opa";
  source: string;
  /** Short label: a commit's short hash, a bundle revision, a directory name. */
  label: string;
  fileCount: number;
  /** Null when the set compiles. */
  compileErrors: CompileError[] | null;
  createdAt: Date;
}

/** A git commit (or bundle revision, or an import) of a source that produced a version. */
export interface PolicyCommit {
  source: string;
  /** Full commit hash / bundle revision / "import:<ISO time>". */
  ref: string;
  versionId: string;
  committedAt: Date;
  author: string | null;
  message: string | null;
}

/** How the version in force for a decision was determined (reference/cerbos.md §1.5). */
export type ResolvedBy = "policySource" | "commit_hash" | "time" | "bundle_revision" | "--at";

export interface ResolvedVersion {
  version: PolicyVersion;
  /** The commit/revision that identified it. */
  ref: string;
  resolvedBy: ResolvedBy;
  /** True for `time`: the version whose commit precedes the decision, not something the record names. */
  inferred: boolean;
  /**
   * Set when `version` does not compile: the newest earlier commit of the same source whose version
   * compiles. A Cerbos git store that pulls a commit it cannot compile keeps serving its last valid
   * policies while reporting the new head, so this is what most likely decided.
   */
  lastCompiling?: { version: PolicyVersion; ref: string };
}

export interface ImportedVersion {
  version: PolicyVersion;
  commit: PolicyCommit;
  /** False when an identical snapshot already existed (the commit then points at it). */
  created: boolean;
}
