// Hashes and HMACs (node:crypto).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { register, str } from "./registry.ts";

for (const [name, algo] of [["md5", "md5"], ["sha1", "sha1"], ["sha256", "sha256"]] as const) {
  register(`crypto.${name}`, 1, (a) => createHash(algo).update(str(`crypto.${name}`, a, 0), "utf8").digest("hex"));
}
for (const [name, algo] of [["md5", "md5"], ["sha1", "sha1"], ["sha256", "sha256"], ["sha512", "sha512"]] as const) {
  const fn = `crypto.hmac.${name}`;
  register(fn, 2, (a) => createHmac(algo, Buffer.from(str(fn, a, 1), "utf8")).update(str(fn, a, 0), "utf8").digest("hex"));
}
register("crypto.hmac.equal", 2, (a) => {
  const x = Buffer.from(str("crypto.hmac.equal", a, 0), "utf8");
  const y = Buffer.from(str("crypto.hmac.equal", a, 1), "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
});
