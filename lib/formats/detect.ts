// Recognises which wire shape an item is and peels off its transport envelope. Shapes are told apart
// by keys only their producer writes (cerbos.md §1.2, opa.md §1.5–1.6), never by guessing content.

import { buildCerbosRecord } from "./cerbos-record.ts";
import { buildOpaRecord } from "./opa-record.ts";
import type { RecordDraft } from "./record-draft.ts";
import type { Engine, JsonObject, JsonValue, RecordKind } from "./types.ts";
import { describeJsonType } from "./zod-issues.ts";

const OPA_CONSOLE_TYPE = "openpolicyagent.org/decision_logs";
/** Keys OPA's console logger adds around the event (logrus fields). */
const OPA_CONSOLE_KEYS = new Set(["level", "msg", "type", "time"]);

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function withoutKeys(obj: JsonObject, drop: (key: string) => boolean): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(obj)) if (!drop(key)) out[key] = obj[key];
  return out;
}

function buildCerbosFileLine(item: JsonObject): RecordDraft | string {
  const kind = item["log.kind"];
  if (kind !== "decision" && kind !== "access") {
    return `log.kind must be "decision" or "access", got ${typeof kind === "string" ? JSON.stringify(kind) : describeJsonType(kind)}`;
  }
  return buildCerbosRecord(withoutKeys(item, (k) => k.startsWith("log.")), kind, "cerbos.file");
}

function buildCerbosAdminLine(result: JsonObject): RecordDraft | string {
  const [key, kind]: [string, RecordKind] = "decisionLogEntry" in result ? ["decisionLogEntry", "decision"] : ["accessLogEntry", "access"];
  const entry = result[key];
  if (!isObject(entry)) return `result.${key} must be an object, got ${describeJsonType(entry)}`;
  return buildCerbosRecord(entry, kind, "cerbos.admin", `result.${key}`);
}

function buildBareCerbosEntry(item: JsonObject): RecordDraft | string {
  const isDecision = "checkResources" in item || "planResources" in item || "inputs" in item || "outputs" in item;
  if (isDecision) return buildCerbosRecord(item, "decision", "cerbos.entry");
  if ("method" in item) return buildCerbosRecord(item, "access", "cerbos.entry");
  return "Cerbos audit entry has callId but neither checkResources/planResources/inputs (a decision entry) nor method (an access entry)";
}

function keyList(item: JsonObject): string {
  const keys = Object.keys(item);
  if (keys.length === 0) return "an empty object";
  const shown = keys.slice(0, 6).map((k) => JSON.stringify(k)).join(", ");
  return `an object with keys ${shown}${keys.length > 6 ? `, … (${keys.length} keys)` : ""}`;
}

const EXPECTED: Record<Engine | "any", string> = {
  cerbos: 'a Cerbos audit entry (a file-backend line with "log.kind", an Admin API line {"result":{"decisionLogEntry"|"accessLogEntry":…}}, or an entry with "callId")',
  opa: 'an OPA decision event (with "decision_id" and "timestamp", or a console line with "type":"openpolicyagent.org/decision_logs")',
  any: 'a Cerbos audit entry ("log.kind", {"result":{"decisionLogEntry"|"accessLogEntry"}} or "callId") or an OPA decision event ("decision_id" + "timestamp")',
};

type Shape = { engine: Engine; build: () => RecordDraft | string };

function recognise(item: JsonObject): Shape | null {
  if ("log.kind" in item) return { engine: "cerbos", build: () => buildCerbosFileLine(item) };
  const result = item.result;
  if (isObject(result) && !("decision_id" in item) && ("decisionLogEntry" in result || "accessLogEntry" in result)) {
    return { engine: "cerbos", build: () => buildCerbosAdminLine(result) };
  }
  // The console logger's envelope; `msg` alone also counts in case a log pipeline rewrote `type`.
  if (item.type === OPA_CONSOLE_TYPE || (item.msg === "Decision Log" && "decision_id" in item)) {
    return { engine: "opa", build: () => buildOpaRecord(withoutKeys(item, (k) => OPA_CONSOLE_KEYS.has(k)), "opa.console") };
  }
  if ("decision_id" in item) return { engine: "opa", build: () => buildOpaRecord(item, "opa.event") };
  if ("callId" in item) return { engine: "cerbos", build: () => buildBareCerbosEntry(item) };
  return null;
}

/** Builds a record draft from one parsed item, or returns why it is not one. */
export function buildRecordDraft(item: JsonValue, hint?: Engine): RecordDraft | string {
  if (!isObject(item)) return `expected a JSON object (a decision log entry), got ${describeJsonType(item)}`;
  const shape = recognise(item);
  if (!shape) return `not a decision log item: expected ${EXPECTED[hint ?? "any"]}; got ${keyList(item)}`;
  if (hint && shape.engine !== hint) {
    return `this is ${shape.engine === "opa" ? "an OPA" : "a Cerbos"} item but ${hint === "opa" ? "OPA" : "Cerbos"} input was expected`;
  }
  return shape.build();
}
