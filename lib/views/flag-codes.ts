// Every flag code lib/delegation can raise, with a short label for badges and filter menus. The list is
// checked against the FlagCode type so a new code cannot be forgotten here silently.
import type { FlagCode } from "../delegation/types.ts";

export const FLAG_LABELS = {
  scope_widened: "scope widened",
  delegation_collapse: "delegation collapse",
  actor_not_in_may_act: "actor not in may_act",
  aud_mismatch: "audience mismatch",
  chain_gap: "chain gap",
  presenter_ne_actor: "presenter ≠ actor",
  deny_then_allow_elsewhere: "deny then allow elsewhere",
} as const satisfies Record<FlagCode, string>;

export const FLAG_CODES = Object.keys(FLAG_LABELS) as FlagCode[];

export function flagLabel(code: string): string {
  return (FLAG_LABELS as Record<string, string>)[code] ?? code.replaceAll("_", " ");
}
