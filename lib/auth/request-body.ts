// Small JSON bodies for auth and admin endpoints: bounded, parsed, and validated with zod, with errors
// that name the field.
import { z } from "zod";

export class BodyError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function readJsonBody<T>(req: Request, schema: z.ZodType<T>, maxBytes = 64 * 1024): Promise<T> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw new BodyError("send the body as JSON (Content-Type: application/json)", 415);
  const text = await req.text();
  if (text.length > maxBytes) throw new BodyError(`body is larger than ${maxBytes} bytes`, 413);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BodyError(`body is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BodyError(`\`${issue.path.map(String).join(".") || "body"}\` ${issue.message}`);
  }
  return parsed.data;
}
