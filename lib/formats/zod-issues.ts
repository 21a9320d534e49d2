// Turns zod issues into one sentence that names the field the way a person would look it up in the
// log line: `checkResources.outputs[0].actions must be an object, got an array`.

import type { z } from "zod";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ""): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const key = String(seg);
      if (IDENTIFIER.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out || "(the item)";
}

export function describeJsonType(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "object":
      return "an object";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    default:
      return typeof value;
  }
}

function withArticle(expected: string): string {
  switch (expected) {
    case "object":
    case "record":
      return "an object";
    case "array":
      return "an array";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    default:
      return expected;
  }
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, prefix: string): string {
  const field = formatPath(issue.path, prefix);
  if (issue.code === "invalid_type") {
    const actual = valueAt(input, issue.path);
    if (actual === undefined) return `${field} is required (${withArticle(issue.expected)})`;
    return `${field} must be ${withArticle(issue.expected)}, got ${describeJsonType(actual)}`;
  }
  return `${field}: ${issue.message}`;
}

/** One-line description of the first problem, with a count of the others. */
export function describeZodError(error: z.ZodError, input: unknown, prefix = ""): string {
  const [first, ...rest] = error.issues;
  const head = first ? describeIssue(first, input, prefix) : "invalid";
  return rest.length ? `${head} (and ${rest.length} more problem${rest.length > 1 ? "s" : ""})` : head;
}
