// Local-account passwords: argon2id (memory-hard; OWASP's first choice) via @node-rs/argon2, with
// OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). Hashes are PHC strings, so parameters can be
// raised later without invalidating stored hashes.
import { hash, verify } from "@node-rs/argon2";

const ARGON2ID = 2; // Algorithm.Argon2id (the enum is a const enum, which isolated modules cannot import)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, passwordProblem } from "./password-policy.ts";
import { MAX_PASSWORD_LENGTH } from "./password-policy.ts";

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// A valid hash of a random string, verified when the user does not exist so that a wrong user name
// costs the same time as a wrong password (no user enumeration by timing).
let decoy: Promise<string> | null = null;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    decoy ??= hash(crypto.randomUUID(), OPTIONS);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  return verify(storedHash, password).catch(() => false);
}
