// lib/policies: immutable policy versions (content-addressed snapshots), their import from
// directories, archives and git history, queries, diffs, compiled sets, and which version was in
// force for a decision. See types.ts for the contract.
export * from "./types.ts";
export { contentHashOf, isCerbosSnapshotPath, toCerbosSources } from "./snapshot.ts";
export { storeVersion, type StoreVersionInput } from "./store.ts";
export { importArchive, importDirectory, importGitRepository, importPolicies, importTargetKind, type GitImportOptions, type ImportOptions } from "./import.ts";
export { AmbiguousPolicyRefError, commitsOf, findVersion, getVersion, getVersionFiles, listSources, listVersions } from "./queries.ts";
export { diffSnapshots, diffVersions, type FileDiff, type FileDiffStatus, type VersionDiff } from "./diff.ts";
export { compiledOpaVersion, compiledVersion, PolicyVersionCompileError } from "./compiled.ts";
export { bundleRevisionOf, compileOpaBundle, isOpaBundlePath, type RegoPolicySet } from "./opa-bundle.ts";
export { resolveVersionForRecord, type ResolveOptions } from "./resolve.ts";
export { policyRefsOf, sourceMatchesRecord, type RecordPolicyRefs } from "./record-refs.ts";
