import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Lays a model out the way `ollama pull` does under `root` (Ollama's models folder):
 * `manifests/<host>/<namespace>/<model>/<tag>` (schema 2, a model layer plus a template layer)
 * and `blobs/sha256-<hex>`. Returns the blob path.
 */
export async function writeOllamaModel(
  root: string,
  location: { host?: string; namespace?: string; model: string; tag?: string },
  ggufPath: string,
): Promise<string> {
  const bytes = await readFile(ggufPath);
  const hex = createHash("sha256").update(bytes).digest("hex");
  const blob = join(root, "blobs", `sha256-${hex}`);
  await mkdir(join(root, "blobs"), { recursive: true });
  await copyFile(ggufPath, blob);
  const manifestDir = join(
    root,
    "manifests",
    location.host ?? "registry.ollama.ai",
    location.namespace ?? "library",
    location.model,
  );
  await mkdir(manifestDir, { recursive: true });
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      digest: `sha256:${"0".repeat(64)}`,
      size: 2,
    },
    layers: [
      { mediaType: "application/vnd.ollama.image.template", digest: `sha256:${"1".repeat(64)}`, size: 10 },
      { mediaType: "application/vnd.ollama.image.model", digest: `sha256:${hex}`, size: bytes.length },
    ],
  };
  await writeFile(join(manifestDir, location.tag ?? "latest"), JSON.stringify(manifest));
  return blob;
}
