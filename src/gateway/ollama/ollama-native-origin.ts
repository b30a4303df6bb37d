import type { PassthroughTarget } from "../v1/resolve-passthrough-target.ts";

/** Where an Ollama upstream's native API (/api/*) lives: its passthrough target is Ollama's OpenAI-compatible /v1. */
export function ollamaNativeOrigin(target: PassthroughTarget): string {
  return target.baseURL.replace(/\/v1$/, "");
}
