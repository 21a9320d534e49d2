// Shared state while compiling one policy document: where errors go and how to compile CEL.
import type { CompileError } from "../../types.ts";
import { compileCel, type CelProgram } from "../cel/environment.ts";
import { positionOf, type SourceDocument } from "./yaml-source.ts";

export class CompileErrors {
  readonly list: CompileError[] = [];
  add(doc: SourceDocument | { file: string }, path: string, message: string): void {
    if ("positions" in doc) {
      const pos = positionOf(doc, path);
      this.list.push({ file: doc.file, line: pos.line, column: pos.column, message });
    } else {
      this.list.push({ file: doc.file, message });
    }
  }
}

let nextParamsId = 1;
export function newParamsId(): number {
  return nextParamsId++;
}

export class DocContext {
  constructor(
    readonly doc: SourceDocument,
    readonly errors: CompileErrors,
  ) {}

  error(path: string, message: string): void {
    this.errors.add(this.doc, path, message);
  }

  /** Compiles a CEL expression; on failure records an error and returns undefined. */
  cel(path: string, source: unknown): CelProgram | undefined {
    if (typeof source !== "string" || source.trim() === "") {
      this.error(path, `expression must be a non-empty string`);
      return undefined;
    }
    const result = compileCel(source);
    if (!result.ok) {
      this.error(path, `Invalid expression \`${source.trim()}\`: ${result.error}`);
      return undefined;
    }
    return result.program;
  }
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function stringList(ctx: DocContext, path: string, v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    ctx.error(path, `${path} must be a list of strings`);
    return [];
  }
  return v as string[];
}
