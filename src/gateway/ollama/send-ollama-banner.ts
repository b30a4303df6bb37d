import type { ServerResponse } from "node:http";

const BANNER = "Ollama is running";

/**
 * What Ollama answers at `/`: tools probe it to tell whether an Ollama server is there (Open
 * WebUI's connection check, editors' auto-detection), and HEAD / is the ollama CLI's heartbeat.
 */
export function sendOllamaBanner(res: ServerResponse, method: string): void {
  res.writeHead(200, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(BANNER),
  });
  res.end(method === "HEAD" ? undefined : BANNER);
}
