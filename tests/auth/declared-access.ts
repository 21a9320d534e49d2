// Who may do what, as the product defines it (issue 9), written out independently of
// lib/auth/roles.ts so the guard is checked against the declaration, not against itself.
// Investigators search, open timelines and replay; auditors read and export evidence and read the
// audit trail; policy owners see trends, policies and impact; admins manage users, tokens and
// settings and upload files, with no decision data.
export const DECLARED_ROLES: Record<string, string[]> = {
  "records.read": ["investigator", "auditor"],
  "records.replay": ["investigator"],
  "records.upload": ["investigator", "admin"],
  "sensitive.reveal": ["investigator", "auditor"],
  "evidence.export": ["auditor"],
  "policies.read": ["investigator", "auditor", "policy_owner"],
  "policies.import": ["policy_owner"],
  "trends.read": ["policy_owner"],
  "impact.read": ["policy_owner"],
  "impact.run": ["policy_owner"],
  "audit.read": ["admin", "auditor"],
  "users.manage": ["admin"],
  "tokens.manage": ["admin"],
  "settings.manage": ["admin"],
};

/** A request path for a route pattern: one value per dynamic segment. */
export function concretePath(pattern: string, value = "1"): string {
  return pattern.replace(/\[\[\.\.\.\w+\]\]/, value).replace(/\[\.\.\.\w+\]/, `${value}/${value}`).replace(/\[\w+\]/g, value);
}
