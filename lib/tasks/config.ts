// Extraction rules per PDP source come from a JSON file (HINDSIGHT_EXTRACTION_CONFIG), validated once.
import { readFileSync } from "node:fs";
import { parseExtractionConfig, type ExtractionConfig } from "../delegation/index.ts";

let cached: ExtractionConfig | null = null;

export function extractionConfig(): ExtractionConfig {
  if (cached) return cached;
  const file = process.env.HINDSIGHT_EXTRACTION_CONFIG;
  if (!file) return (cached = {});
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`HINDSIGHT_EXTRACTION_CONFIG=${file}: cannot read JSON: ${(err as Error).message}`);
  }
  try {
    return (cached = parseExtractionConfig(json));
  } catch (err) {
    throw new Error(`HINDSIGHT_EXTRACTION_CONFIG=${file}: ${(err as Error).message}`);
  }
}
