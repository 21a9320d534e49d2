// What a decision record says about the policy revision it was decided under (reference
// cerbos.md §1.5): Cerbos `policySource` (the live git head / hub bundle), the per-policy
// `auditTrail…commit_hash` (stale after a live update, so second), OPA bundle revisions; and
// which source the record names, so resolution can prefer it. Pure: works on the parsed entry.
type Json = Record<string, unknown>;

export interface RecordPolicyRefs {
  /** policySource.git.hash, or a hub bundle id: the revision live when the PDP decided. */
  liveRef?: string;
  /** auditTrail commit_hash values, the deciding policies' first, without duplicates. */
  commitHashes: string[];
  /** OPA `bundles[name].revision`. */
  bundleRevisions: { bundle: string; revision: string }[];
  /** The store the record names: a git repository (+ subdirectory) or a disk directory. */
  repositoryUrl?: string;
  subdirectory?: string;
  diskDirectory?: string;
}

function obj(v: unknown): Json | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** Policy keys that decided some action, in record order (NO_MATCH sentinels are no policy). */
function decidingPolicies(entry: Json): string[] {
  const cr = obj(entry.checkResources);
  const outputs = Array.isArray(cr?.outputs) ? cr.outputs : Array.isArray(entry.outputs) ? entry.outputs : [];
  const keys: string[] = [];
  for (const out of outputs) {
    for (const decision of Object.values(obj(obj(out)?.actions) ?? {})) {
      const policy = str(obj(decision)?.policy);
      if (policy && !policy.startsWith("NO_MATCH") && !keys.includes(policy)) keys.push(policy);
    }
  }
  return keys;
}

export function policyRefsOf(entry: Json): RecordPolicyRefs {
  const refs: RecordPolicyRefs = { commitHashes: [], bundleRevisions: [] };
  const source = obj(entry.policySource);
  const git = obj(source?.git);
  const hub = obj(source?.hub);
  refs.liveRef =
    str(git?.hash) ??
    str(obj(hub?.remoteBundle)?.bundleId) ??
    str(obj(hub?.localBundle)?.bundleId) ??
    str(obj(hub?.embeddedBundle)?.bundleId) ??
    str(obj(source?.embeddedPdp)?.commitHash);
  refs.repositoryUrl = str(git?.repositoryUrl);
  refs.subdirectory = str(git?.subdirectory);
  refs.diskDirectory = str(obj(source?.disk)?.directory);

  const effective = obj(obj(entry.auditTrail)?.effectivePolicies) ?? {};
  const deciding = decidingPolicies(entry);
  const ordered = [...deciding.filter((k) => k in effective), ...Object.keys(effective).filter((k) => !deciding.includes(k)).sort()];
  for (const key of ordered) {
    const hash = str(obj(obj(effective[key])?.attributes)?.commit_hash);
    if (hash && !refs.commitHashes.includes(hash)) refs.commitHashes.push(hash);
  }

  for (const [bundle, info] of Object.entries(obj(entry.bundles) ?? {})) {
    const revision = str(obj(info)?.revision);
    if (revision) refs.bundleRevisions.push({ bundle, revision });
  }
  return refs;
}

/** A repository URL or path in comparable form: no scheme, user, `.git` suffix or trailing slash. */
export function normalizeRepositoryUrl(url: string): string {
  let u = url.trim();
  const scp = /^[^/@:]+@([^:/]+):(.*)$/.exec(u); // git@host:org/repo
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^/@]+@/, "");
  return u.replace(/\/+$/, "").replace(/\.git$/i, "").replace(/\/+$/, "");
}

function normalizeSubdirectory(s: string | undefined): string {
  return (s ?? "").replace(/^(\.\/)+/, "").replace(/^\/+|\/+$/g, "").replace(/^\.$/, "");
}

/**
 * Whether a source name is the store the record names. Git sources are named `<url>` or
 * `<url>#<subdir>` (see git.ts defaultGitSourceName); directory sources by their absolute path.
 */
export function sourceMatchesRecord(source: string, refs: RecordPolicyRefs): boolean {
  if (refs.repositoryUrl) {
    const hash = source.lastIndexOf("#");
    const url = hash === -1 ? source : source.slice(0, hash);
    const subdir = hash === -1 ? "" : source.slice(hash + 1);
    return normalizeRepositoryUrl(url) === normalizeRepositoryUrl(refs.repositoryUrl) && normalizeSubdirectory(subdir) === normalizeSubdirectory(refs.subdirectory);
  }
  if (refs.diskDirectory) return normalizeRepositoryUrl(source) === normalizeRepositoryUrl(refs.diskDirectory);
  return false;
}
