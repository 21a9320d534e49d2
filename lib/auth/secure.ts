// Whether the browser reached us over https (directly or through a TLS-terminating proxy): cookies then
// get the Secure flag. HINDSIGHT_SECURE_COOKIES=1 forces it.
export function isSecureRequest(req: Request): boolean {
  if (process.env.HINDSIGHT_SECURE_COOKIES === "1") return true;
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  if (proto) return proto === "https";
  return new URL(req.url).protocol === "https:";
}
