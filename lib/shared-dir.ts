// Where the steering repo's shared/ folder (conformance data, reference samples) lives: beside the
// checkout (../shared, as on CI and developer machines), or HINDSIGHT_SHARED_DIR.
import { existsSync } from "node:fs";
import path from "node:path";

export function sharedDir(): string {
  const candidates = [process.env.HINDSIGHT_SHARED_DIR, path.resolve(process.cwd(), "..", "shared"), "/work/shared"].filter(
    (d): d is string => !!d,
  );
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}
