import { join } from "node:path";

interface OllamaManifestLocation {
  host: string;
  namespace: string;
  model: string;
  tag: string;
  /** `<root>/manifests/<host>/<namespace>/<model>/<tag>`. */
  path: string;
}

const DEFAULT_HOST = "registry.ollama.ai";
const DEFAULT_NAMESPACE = "library";

/**
 * Where Ollama's store `root` keeps the manifest of a model name (`llama3.2:1b`,
 * `namespace/model:tag`, `host/namespace/model:tag`; tag `latest` by default). Undefined for a
 * name that is not one: empty parts, `.` or `..`, more than three parts. Never leaves `root`.
 */
export function locateOllamaManifest(name: string, root: string): OllamaManifestLocation | undefined {
  const colon = name.lastIndexOf(":");
  const hasTag = colon > name.lastIndexOf("/");
  const tag = hasTag ? name.slice(colon + 1) : "latest";
  const parts = (hasTag ? name.slice(0, colon) : name).split("/");
  if (!tag || tag === "." || tag === ".." || parts.length > 3) return undefined;
  if (parts.some((part) => !part || part === "." || part === "..")) return undefined;
  const host = parts.length === 3 ? parts[0]! : DEFAULT_HOST;
  const namespace = parts.length >= 2 ? parts[parts.length - 2]! : DEFAULT_NAMESPACE;
  const model = parts[parts.length - 1]!;
  return { host, namespace, model, tag, path: join(root, "manifests", host, namespace, model, tag) };
}

/** The name as Ollama shows it: `llama3.2:1b`, `namespace/model:tag`, `host/namespace/model:tag`. */
export function ollamaDisplayName(location: Omit<OllamaManifestLocation, "path">): string {
  const { host, namespace, model, tag } = location;
  const prefix =
    host !== DEFAULT_HOST ? `${host}/${namespace}/` : namespace !== DEFAULT_NAMESPACE ? `${namespace}/` : "";
  return `${prefix}${model}:${tag}`;
}
