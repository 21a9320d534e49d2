// Which masking rules are in force: an admin override stored in app_settings (key sensitive_paths),
// else HINDSIGHT_SENSITIVE_PATHS, else the built-in list. Read on every page that shows record data,
// so the stored value is cached briefly per process (a change made in the app clears this process's
// cache at once; other processes, e.g. a running CLI, see it within CACHE_MS).
import type pg from "pg";
import { BUILTIN_RULES, compileRules, formatRuleErrors, parseRuleCsv, parseRuleLines, type RuleError, type RuleSet } from "./rules.ts";

export const SETTINGS_KEY = "sensitive_paths";
export const ENV_VAR = "HINDSIGHT_SENSITIVE_PATHS";
const CACHE_MS = 5_000;

export type RuleSource = "settings" | "env" | "builtin";

export interface EffectiveRules {
  ruleSet: RuleSet;
  source: RuleSource;
  /** The list as configured (before @defaults is expanded): the stored lines, the env entries or the built-ins. */
  lines: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface StoredOverride {
  lines: string[];
  updatedAt: string;
  updatedBy: string | null;
}

/** The env list: unset or blank means the built-ins; "none" masks nothing; an invalid entry is an error (fail closed). */
export function envRules(env: Record<string, string | undefined> = process.env): { lines: string[]; ruleSet: RuleSet } | null {
  const raw = env[ENV_VAR];
  if (raw === undefined || raw.trim() === "") return null;
  if (raw.trim().toLowerCase() === "none") return { lines: [], ruleSet: compileRules([]) };
  const { rules, errors, entries } = parseRuleCsv(raw);
  if (errors.length) throw new Error(`${ENV_VAR}: ${formatRuleErrors(errors)}`);
  return { lines: entries, ruleSet: compileRules(rules) };
}

function builtin(): { lines: string[]; ruleSet: RuleSet } {
  const { rules } = parseRuleLines(BUILTIN_RULES.join("\n"));
  return { lines: [...BUILTIN_RULES], ruleSet: compileRules(rules) };
}

/** The rules that apply when no admin override is stored. */
export function fallbackRules(env: Record<string, string | undefined> = process.env): EffectiveRules {
  const fromEnv = envRules(env);
  if (fromEnv) return { ...fromEnv, source: "env", updatedAt: null, updatedBy: null };
  return { ...builtin(), source: "builtin", updatedAt: null, updatedBy: null };
}

export async function readOverride(pool: pg.Pool | pg.ClientBase): Promise<StoredOverride | null> {
  const { rows } = await pool.query<{ value: unknown; updated_at: Date; updated_by: string | null }>(
    `SELECT value, updated_at, updated_by FROM app_settings WHERE key = $1`,
    [SETTINGS_KEY],
  );
  const row = rows[0];
  if (!row) return null;
  const lines = (row.value as { lines?: unknown })?.lines;
  if (!Array.isArray(lines) || !lines.every((l) => typeof l === "string")) {
    throw new Error(`app_settings "${SETTINGS_KEY}" is malformed (expected {"lines": [strings]}); save the list again on the settings page`);
  }
  return { lines, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by };
}

let cache: { at: number; value: EffectiveRules } | null = null;

/** The rules in force (cached for a few seconds). Throws for an invalid stored list or env value: masking fails closed. */
export async function getSensitiveRules(pool: pg.Pool | pg.ClientBase): Promise<EffectiveRules> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.value;
  const override = await readOverride(pool);
  let value: EffectiveRules;
  if (override) {
    const { rules, errors } = parseRuleLines(override.lines.join("\n"));
    if (errors.length) throw new Error(`app_settings "${SETTINGS_KEY}": ${formatRuleErrors(errors)}`);
    value = { ruleSet: compileRules(rules), source: "settings", lines: override.lines, updatedAt: override.updatedAt, updatedBy: override.updatedBy };
  } else {
    value = fallbackRules();
  }
  cache = { at: Date.now(), value };
  return value;
}

export function clearSensitiveRulesCache(): void {
  cache = null;
}

export class InvalidRulesError extends Error {
  constructor(readonly errors: RuleError[]) {
    super(formatRuleErrors(errors));
  }
}

/**
 * Stores the admin override (text, one rule per line; blank lines dropped, # comments kept), or removes
 * it with null (back to the env value or the built-ins). Validates first; returns the previous and new lines.
 */
export async function writeSensitiveRules(
  pool: pg.Pool | pg.ClientBase,
  text: string | null,
  actor: string,
): Promise<{ from: string[] | null; to: string[] | null }> {
  const previous = await readOverride(pool).catch(() => null);
  if (text === null) {
    await pool.query(`DELETE FROM app_settings WHERE key = $1`, [SETTINGS_KEY]);
    clearSensitiveRulesCache();
    return { from: previous?.lines ?? null, to: null };
  }
  const { errors } = parseRuleLines(text);
  if (errors.length) throw new InvalidRulesError(errors);
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  await pool.query(
    `INSERT INTO app_settings (key, value, updated_at, updated_by) VALUES ($1, $2, now(), $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [SETTINGS_KEY, JSON.stringify({ lines }), actor],
  );
  clearSensitiveRulesCache();
  return { from: previous?.lines ?? null, to: lines };
}
