import { readFile } from "node:fs/promises";

/** What the store records about an installed model, next to it (`<name>.json`). */
export interface LocalModelManifest {
  name: string;
  /** Where it came from: a URL, or the path it was imported from. */
  source: string;
  sha256: string;
  sizeBytes: number;
  pulledAt: string;
  /** The hub commit it was downloaded at, when the hub said. */
  commit?: string;
}

/** Reads a manifest; undefined when it is absent or not one of ours. */
export async function readLocalModelManifest(path: string): Promise<LocalModelManifest | undefined> {
  try {
    const value = JSON.parse(await readFile(path, "utf8")) as Partial<LocalModelManifest>;
    return typeof value.name === "string" && typeof value.sha256 === "string"
      ? (value as LocalModelManifest)
      : undefined;
  } catch {
    return undefined;
  }
}
