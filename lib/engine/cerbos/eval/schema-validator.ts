// A JSON Schema validator for the keywords policy schemas use, producing the leaf errors and
// messages of santhosh-tekuri/jsonschema v5 (the validator Cerbos uses), so `validationErrors`
// match. Refs resolve within a document and across `cerbos:///` schemas.
import type { JsonValue } from "../../types.ts";

export interface SchemaError {
  /** JSON pointer to the failing value ("" for the root). */
  instance: string;
  message: string;
}

type Schema = boolean | Record<string, unknown>;

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v === "object" ? "object" : typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === "number" && actual === "integer");
}

function quote(v: unknown): string {
  return JSON.stringify(v);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const FORMATS: Record<string, (s: string) => boolean> = {
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
  "date-time": (s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/i.test(s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  ipv4: (s) => /^(\d{1,3})(\.\d{1,3}){3}$/.test(s) && s.split(".").every((p) => Number(p) <= 255),
};

export class SchemaValidator {
  constructor(private readonly schemas: Map<string, JsonValue>) {}

  has(ref: string): boolean {
    return this.schemas.has(ref.split("#")[0]!);
  }

  validate(ref: string, value: unknown): SchemaError[] {
    const [doc, pointer] = ref.split("#");
    const root = this.schemas.get(doc!) as Schema | undefined;
    if (root === undefined) return [{ instance: "", message: `schema ${quote(ref)} not found` }];
    const schema = pointer ? this.resolvePointer(root, pointer) : root;
    const errors: SchemaError[] = [];
    this.check(schema, value, "", root, errors, 0);
    return errors;
  }

  private resolvePointer(root: Schema, pointer: string): Schema {
    let node: unknown = root;
    for (const part of pointer.split("/").filter(Boolean)) {
      node = (node as Record<string, unknown>)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    return (node ?? true) as Schema;
  }

  private resolveRef(ref: string, root: Schema): { schema: Schema; root: Schema } {
    if (ref.startsWith("#")) return { schema: this.resolvePointer(root, ref.slice(1)), root };
    const [doc, pointer] = ref.split("#");
    const target = (this.schemas.get(doc!) ?? this.schemas.get(`cerbos:///${doc!.replace(/^\/+/, "")}`) ?? true) as Schema;
    return { schema: pointer ? this.resolvePointer(target, pointer) : target, root: target };
  }

  private check(schema: Schema, v: unknown, at: string, root: Schema, errors: SchemaError[], depth: number): void {
    if (schema === true || depth > 64) return;
    if (schema === false) {
      errors.push({ instance: at, message: "not allowed" });
      return;
    }
    const s = schema;
    const fail = (message: string, instance = at) => errors.push({ instance, message });
    if (typeof s.$ref === "string") {
      const r = this.resolveRef(s.$ref, root);
      this.check(r.schema, v, at, r.root, errors, depth + 1);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeMatches(v, t))) {
        fail(`expected ${types.join(" or ")}, but got ${typeOf(v) === "integer" ? "number" : typeOf(v)}`);
        return;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, v))) fail(`value must be one of ${s.enum.map(quote).join(", ")}`);
    if ("const" in s && !jsonEqual(s.const, v)) fail(`value must be ${quote(s.const)}`);
    if (typeof v === "number") {
      if (typeof s.minimum === "number" && v < s.minimum) fail(`must be >= ${s.minimum} but found ${v}`);
      if (typeof s.maximum === "number" && v > s.maximum) fail(`must be <= ${s.maximum} but found ${v}`);
      if (typeof s.exclusiveMinimum === "number" && v <= s.exclusiveMinimum) fail(`must be > ${s.exclusiveMinimum} but found ${v}`);
      if (typeof s.exclusiveMaximum === "number" && v >= s.exclusiveMaximum) fail(`must be < ${s.exclusiveMaximum} but found ${v}`);
      if (typeof s.multipleOf === "number" && !Number.isInteger(v / s.multipleOf)) fail(`${v} not multipleOf ${s.multipleOf}`);
    }
    if (typeof v === "string") {
      const len = Array.from(v).length;
      if (typeof s.minLength === "number" && len < s.minLength) fail(`length must be >= ${s.minLength}, but got ${len}`);
      if (typeof s.maxLength === "number" && len > s.maxLength) fail(`length must be <= ${s.maxLength}, but got ${len}`);
      if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(v)) fail(`does not match pattern ${quote(s.pattern)}`);
      if (typeof s.format === "string" && FORMATS[s.format] && !FORMATS[s.format]!(v)) fail(`${quote(v)} is not valid ${quote(s.format)}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === "number" && v.length < s.minItems) fail(`minimum ${s.minItems} items required, but found ${v.length} items`);
      if (typeof s.maxItems === "number" && v.length > s.maxItems) fail(`maximum ${s.maxItems} items required, but found ${v.length} items`);
      if (s.uniqueItems === true) {
        for (let i = 0; i < v.length; i++) for (let j = i + 1; j < v.length; j++) if (jsonEqual(v[i], v[j])) fail(`items at index ${i} and ${j} are equal`);
      }
      const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]) : [];
      v.forEach((item, i) => {
        const itemSchema = i < prefix.length ? prefix[i] : (s.items as Schema | undefined);
        if (itemSchema !== undefined) this.check(itemSchema, item, `${at}/${i}`, root, errors, depth + 1);
      });
    }
    if (typeOf(v) === "object") {
      const obj = v as Record<string, unknown>;
      if (Array.isArray(s.required)) {
        const missing = (s.required as string[]).filter((k) => !(k in obj));
        if (missing.length) fail(`missing properties: ${missing.map(quote).join(", ")}`);
      }
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>);
      const extra: string[] = [];
      for (const [k, val] of Object.entries(obj)) {
        const path = `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        let known = false;
        if (k in props) {
          known = true;
          this.check(props[k]!, val, path, root, errors, depth + 1);
        }
        for (const [p, ps] of patterns) {
          if (new RegExp(p, "u").test(k)) {
            known = true;
            this.check(ps, val, path, root, errors, depth + 1);
          }
        }
        if (!known && s.additionalProperties !== undefined) {
          if (s.additionalProperties === false) extra.push(k);
          else this.check(s.additionalProperties as Schema, val, path, root, errors, depth + 1);
        }
      }
      if (extra.length) fail(`additionalProperties ${extra.map((k) => `'${k}'`).join(", ")} not allowed`);
    }
    for (const key of ["allOf"] as const) {
      if (Array.isArray(s[key])) for (const sub of s[key] as Schema[]) this.check(sub, v, at, root, errors, depth + 1);
    }
    if (Array.isArray(s.anyOf)) {
      const ok = (s.anyOf as Schema[]).some((sub) => this.quiet(sub, v, root, depth));
      if (!ok) fail("anyOf failed");
    }
    if (Array.isArray(s.oneOf)) {
      const n = (s.oneOf as Schema[]).filter((sub) => this.quiet(sub, v, root, depth)).length;
      if (n !== 1) fail(n === 0 ? "oneOf failed" : "valid against more than one schema in oneOf");
    }
    if (s.not !== undefined && this.quiet(s.not as Schema, v, root, depth)) fail("not failed");
  }

  private quiet(schema: Schema, v: unknown, root: Schema, depth: number): boolean {
    const errs: SchemaError[] = [];
    this.check(schema, v, "", root, errs, depth + 1);
    return errs.length === 0;
  }
}
