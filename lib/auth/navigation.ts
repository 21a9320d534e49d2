// Which sections a user's roles open, in menu order; the home page sends a user to the first of them.
import { can, type Permission } from "./roles.ts";

export interface Section {
  href: string;
  label: string;
  matches: string[];
  permission: Permission;
}

export const SECTIONS: readonly Section[] = [
  { href: "/decisions", label: "Decisions", matches: ["/decisions", "/records"], permission: "records.read" },
  { href: "/tasks", label: "Tasks", matches: ["/tasks"], permission: "records.read" },
  { href: "/trends", label: "Trends", matches: ["/trends"], permission: "trends.read" },
  { href: "/policies", label: "Policies", matches: ["/policies"], permission: "policies.read" },
  { href: "/impact", label: "Impact", matches: ["/impact"], permission: "impact.read" },
  { href: "/audit", label: "Audit trail", matches: ["/audit"], permission: "audit.read" },
  { href: "/ingest", label: "Upload", matches: ["/ingest"], permission: "records.upload" },
  { href: "/admin/users", label: "Users", matches: ["/admin/users"], permission: "users.manage" },
  { href: "/admin/tokens", label: "Tokens", matches: ["/admin/tokens"], permission: "tokens.manage" },
  { href: "/admin/settings", label: "Settings", matches: ["/admin/settings"], permission: "settings.manage" },
];

export function sectionsFor(roles: readonly string[]): Section[] {
  return SECTIONS.filter((s) => can(roles, s.permission));
}
