import { homedir } from "node:os";
import { basename, resolve } from "node:path";
import { findCatalogEntry } from "../catalog/find-catalog-entry.ts";
import { LlmuxError } from "../core/errors.ts";

/** Where a catalog model's GGUF lives on the Hugging Face hub. */
export interface GgufLocation {
  repo: string;
  file: string;
  sizeBytes?: number;
}

type PullSource = { kind: "url"; name: string; url: string } | { kind: "file"; name: string; path: string };

export interface ResolvePullSourceOptions {
  env?: NodeJS.ProcessEnv;
  /** Catalog lookup of a local model name; the bundled catalog by default. */
  findGguf?: (name: string) => GgufLocation | undefined;
}

/**
 * What `llmux pull X` means: a catalog name (`qwen2.5:0.5b`, or `local:qwen2.5:0.5b` as `llmux models`
 * prints it), `hf:OWNER/REPO/path/FILE.gguf`,
 * an http(s) URL, or a local file to import.
 */
export function resolvePullSource(reference: string, options: ResolvePullSourceOptions = {}): PullSource {
  // `local:llama3.2:1b` is how `llmux models` prints it: the same model.
  const ref = reference.replace(/^local:/, "");
  const env = options.env ?? process.env;
  const findGguf = options.findGguf ?? ((name: string) => findCatalogEntry("local", name)?.gguf);
  const hubUrl = (repo: string, file: string) =>
    `${(env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "")}/${repo}/resolve/main/${file}`;

  if (ref.startsWith("hf:")) {
    const match = /^hf:([\w.-]+\/[\w.-]+)\/(.+\.gguf)$/i.exec(ref);
    if (!match) {
      throw new LlmuxError("usage", `"${ref}" is not a Hugging Face file reference`, {
        hint: "Write it as hf:OWNER/REPO/FILE.gguf",
      });
    }
    const [, repo = "", file = ""] = match;
    return { kind: "url", name: stem(file), url: hubUrl(repo, file) };
  }
  if (/^https?:\/\//i.test(ref)) {
    return { kind: "url", name: stem(decodeURIComponent(new URL(ref).pathname)), url: ref };
  }
  if (ref.includes("/") || ref.includes("\\") || ref.toLowerCase().endsWith(".gguf")) {
    const path = ref.startsWith("~/") ? resolve(homedir(), ref.slice(2)) : resolve(ref);
    return { kind: "file", name: stem(path), path };
  }
  const gguf = findGguf(ref);
  if (!gguf) {
    throw new LlmuxError("model_not_found", `"${ref}" is not a model in the catalog`, {
      hint: "See `llmux models` for catalog names, or pull hf:OWNER/REPO/FILE.gguf, a URL or a .gguf path",
    });
  }
  return { kind: "url", name: ref, url: hubUrl(gguf.repo, gguf.file) };
}

function stem(path: string): string {
  return basename(path).replace(/\.gguf$/i, "");
}
