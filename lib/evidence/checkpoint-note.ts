// The text a checkpoint signature covers: the body of a C2SP tlog-checkpoint signed note
// ("<origin>\n<tree size>\n<base64 root>\n"). Pure, shared by the exporter and the offline verifier.
import { signBytes, verifyBytes } from "./key-material.ts";

export const LOG_ORIGIN = "hindsight-log";

export interface Checkpoint {
  origin: string;
  treeSize: number;
  /** RFC 9162 root hash, hex. */
  rootHash: string;
  /** Ed25519 over the note text, base64. */
  signature: string;
  keyId: string;
}

export function checkpointNote(origin: string, treeSize: number, rootHashHex: string): string {
  return `${origin}\n${treeSize}\n${Buffer.from(rootHashHex, "hex").toString("base64")}\n`;
}

export function signCheckpoint(privateKeyPem: string, origin: string, treeSize: number, rootHashHex: string): string {
  return signBytes(privateKeyPem, Buffer.from(checkpointNote(origin, treeSize, rootHashHex), "utf8")).toString("base64");
}

export function verifyCheckpointSignature(publicKeyPem: string, cp: Pick<Checkpoint, "origin" | "treeSize" | "rootHash" | "signature">): boolean {
  const note = Buffer.from(checkpointNote(cp.origin, cp.treeSize, cp.rootHash), "utf8");
  return verifyBytes(publicKeyPem, note, Buffer.from(cp.signature, "base64"));
}
