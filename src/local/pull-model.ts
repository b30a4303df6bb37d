import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { makePrivateDir, resolvePaths } from "../core/paths.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";
import { acquireFileLock } from "./acquire-file-lock.ts";
import { type DownloadProgress, downloadFile } from "./download-file.ts";
import { modelStorePaths } from "./model-store-paths.ts";
import { pathExists } from "./path-exists.ts";
import { readGgufHeader } from "./read-gguf-header.ts";
import { type LocalModelManifest, readLocalModelManifest } from "./read-local-model-manifest.ts";
import { type ResolvePullSourceOptions, resolvePullSource } from "./resolve-pull-source.ts";

interface PullModelOptions extends ResolvePullSourceOptions {
  /** The store folder; `resolvePaths().models` by default. */
  modelsDir?: string;
  /** Install under this name instead of the one derived from the source. */
  name?: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export interface PulledModel extends LocalModelManifest {
  path: string;
  /** True when it was installed already and nothing was downloaded. */
  alreadyInstalled: boolean;
}

/**
 * Installs a model into the store: downloads it (resuming an interrupted download) or copies a
 * local file, checks it is a GGUF llama.cpp can run, then moves it into place and writes its
 * manifest. A per-model lock keeps two pulls of one model from mixing their bytes.
 */
export async function pullModel(ref: string, options: PullModelOptions = {}): Promise<PulledModel> {
  const source = resolvePullSource(ref, options);
  const name = options.name ?? source.name;
  const modelsDir = options.modelsDir ?? resolvePaths(options.env).models;
  const paths = modelStorePaths(name, modelsDir);
  // The store, made here when it is new, is the user's alone like every folder llmux creates.
  makePrivateDir(`${modelsDir}/.partial`);
  const release = await acquireFileLock(paths.lock, { signal: options.signal, what: `The model ${name}` });
  try {
    const installed = await readLocalModelManifest(paths.manifest);
    if (installed && (await pathExists(paths.model)))
      return { ...installed, path: paths.model, alreadyInstalled: true };

    let sha256: string;
    let commit: string | undefined;
    if (source.kind === "file") {
      await readGgufHeader(source.path); // refuse a bad file before copying gigabytes
      sha256 = await copyHashing(source.path, paths.partial);
    } else {
      ({ sha256, commit } = await downloadFile(source.url, paths.partial, options));
    }
    let header: Awaited<ReturnType<typeof readGgufHeader>>;
    try {
      header = await readGgufHeader(paths.partial);
    } catch (error) {
      // Complete but unusable (an HTML page, an unsupported model): keeping it helps nobody.
      await rm(paths.partial, { force: true });
      throw error;
    }
    const manifest: LocalModelManifest = {
      name,
      source: source.kind === "file" ? source.path : source.url,
      sha256,
      sizeBytes: header.fileSize,
      pulledAt: new Date().toISOString(),
      ...(commit ? { commit } : {}),
    };
    await rename(paths.partial, paths.model);
    await writeFileAtomic(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    return { ...manifest, path: paths.model, alreadyInstalled: false };
  } finally {
    await release();
  }
}

async function copyHashing(from: string, to: string): Promise<string> {
  const hash = createHash("sha256");
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(from), tap, createWriteStream(to));
  } catch (error) {
    await rm(to, { force: true });
    throw error;
  }
  return hash.digest("hex");
}
