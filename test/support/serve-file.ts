import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ServeFileOptions {
  /** Sent as the hub's `X-Linked-Etag` on the redirect (a sha256 makes the client verify it). */
  etag?: string;
  /** The first body response stops after this many bytes and the connection is cut. */
  cutFirstResponseAfter?: number;
  /** Body responses stop after this many bytes and the connection stays open, silent. */
  stallAfter?: number;
  /** Answer every request with the whole file, as a server without Range support does. */
  ignoreRange?: boolean;
  /** Milliseconds to wait before sending each body response. */
  delayMs?: number;
}

export interface ServedFile {
  origin: string;
  /** A hub-style URL: answers with a redirect (and X-Linked-* headers) to `/cdn/...`. */
  url: string;
  requests: Array<{ path: string; range: string | undefined; status: number }>;
  /** Settles once a response has sent its bytes up to `stallAfter` (and then gone quiet). */
  stalled: Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server shaped like the Hugging Face hub: `/hub/...` redirects to `/cdn/...`
 * with `X-Linked-Etag`/`X-Linked-Size`, `/cdn/...` serves the bytes with Range support; any
 * other path is a 404. Knobs cut or stall the body for failure tests.
 */
export async function serveFile(body: Buffer, options: ServeFileOptions = {}): Promise<ServedFile> {
  const sockets = new Set<Socket>();
  const requests: ServedFile["requests"] = [];
  let bodyResponses = 0;
  let markStalled = () => {};
  const stalled = new Promise<void>((resolve) => {
    markStalled = resolve;
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const log = (status: number) => requests.push({ path, range: req.headers.range, status });
    if (path.startsWith("/hub/")) {
      log(302);
      res.writeHead(302, {
        location: `/cdn/${path.slice("/hub/".length)}`,
        "x-linked-size": String(body.length),
        "x-repo-commit": "0123456789abcdef0123456789abcdef01234567",
        ...(options.etag ? { "x-linked-etag": `"${options.etag}"` } : {}),
      });
      res.end();
      return;
    }
    if (!path.startsWith("/cdn/")) {
      log(404);
      res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
      return;
    }
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const start = range && !options.ignoreRange ? Number(range[1]) : 0;
    if (start > body.length) {
      log(416);
      res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
      return;
    }
    const status = start > 0 ? 206 : 200;
    log(status);
    res.writeHead(status, {
      "content-type": "application/octet-stream",
      "content-length": String(body.length - start),
      "accept-ranges": "bytes",
      ...(status === 206 ? { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    bodyResponses++;
    const cut = bodyResponses === 1 ? options.cutFirstResponseAfter : undefined;
    const stop = cut ?? options.stallAfter;
    if (stop === undefined) {
      res.end(body.subarray(start));
      return;
    }
    res.write(body.subarray(start, Math.max(start, stop)), () => {
      // Give the bytes time to leave before the connection dies.
      if (cut !== undefined) setTimeout(() => req.socket.destroy(), 50);
      else markStalled();
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/hub/org/repo/resolve/main/model.gguf`,
    requests,
    stalled,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
