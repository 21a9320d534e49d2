// Evidence export and offline verification: the public surface of lib/evidence.
export { exportEvidence, type ExportRequest, type ExportResult } from "./export.ts";
export { verifyEvidenceBundle, type VerifyOptions, type VerifyOutcome } from "./verify.ts";
export { describeScope, parseEvidenceScope, scopeHops, type EvidenceScope, type ScopeQuery } from "./scope.ts";
export { activeSigningKey, defaultKeysDir, listSigningKeys, rotateSigningKey, type StoredKey } from "./signing-keys.ts";
export { describePublicKey, type PublicKeyInfo } from "./key-material.ts";
export type { EvidenceManifest } from "./manifest.ts";
