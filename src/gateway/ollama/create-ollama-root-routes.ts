import type { HttpRoute } from "../server/create-route-table.ts";
import { sendOllamaBanner } from "./send-ollama-banner.ts";

/** `GET /` and `HEAD /` of the Ollama-only port (`--ollama-port`): "Ollama is running", whoever asks. */
export function createOllamaRootRoutes(): HttpRoute[] {
  return (["GET", "HEAD"] as const).map((method) => ({
    method,
    path: "/",
    access: "open",
    rateLimit: "none",
    handle: ({ res }) => sendOllamaBanner(res, method),
  }));
}
