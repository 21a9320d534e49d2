// Roles and the permissions they grant. A route declares one permission (lib/auth/routes.ts); a user
// holds any number of roles. Admins manage users, tokens and settings but see no decision data unless
// they are also given a data role: the people who run Hindsight are not automatically its readers.

export const ROLES = ["investigator", "auditor", "policy_owner", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  investigator: "Investigator",
  auditor: "Auditor",
  policy_owner: "Policy owner",
  admin: "Admin",
};

export const PERMISSIONS = {
  "records.read": "Search decisions, open records, tasks and timelines",
  "records.replay": "Replay a decision against a policy version",
  "records.upload": "Upload decision-log files",
  "sensitive.reveal": "Reveal a masked field (with a reason, recorded)",
  "evidence.export": "Export signed evidence bundles",
  "policies.read": "Read policy versions, files and diffs",
  "policies.import": "Import policy versions",
  "trends.read": "Denial trends",
  "impact.read": "Read impact analysis runs",
  "impact.run": "Start and cancel impact analysis runs",
  "audit.read": "Read the app's own audit trail",
  "users.manage": "Create, change and disable users",
  "tokens.manage": "Create and revoke ingest tokens",
  "settings.manage": "Change settings (masked attribute paths)",
} as const;
export type Permission = keyof typeof PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  investigator: ["records.read", "records.replay", "records.upload", "sensitive.reveal", "policies.read"],
  auditor: ["records.read", "sensitive.reveal", "evidence.export", "policies.read", "audit.read"],
  policy_owner: ["trends.read", "policies.read", "policies.import", "impact.read", "impact.run"],
  admin: ["audit.read", "users.manage", "tokens.manage", "settings.manage", "records.upload"],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}

export function can(roles: readonly string[], permission: Permission): boolean {
  return roles.some((role) => isRole(role) && ROLE_PERMISSIONS[role].includes(permission));
}

/** The roles that hold a permission (for error messages and the authorization matrix). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => ROLE_PERMISSIONS[role].includes(permission));
}
