import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { LlmuxError } from "../../core/errors.ts";

// How long a client turned away should wait before it tries again.
const RETRY_AFTER_SECONDS = 1;

/**
 * Caps the connections `server` serves at `max`. A request on a connection opened beyond the cap
 * is answered, not dropped: the returned check throws a `busy` error (503, Retry-After) and marks
 * the connection to close after it, so well-behaved clients back off and retry. Sockets beyond
 * twice the cap, a flood that may never send a request, are closed by node at once.
 */
export function limitConnections(
  server: Server,
  max: number,
): (req: IncomingMessage, res: ServerResponse) => void {
  let open = 0;
  const admitted = new WeakSet<Socket>();
  server.maxConnections = max * 2;
  server.on("connection", (socket: Socket) => {
    open += 1;
    if (open <= max) admitted.add(socket);
    socket.once("close", () => {
      open -= 1;
    });
  });
  return (req, res) => {
    const socket = req.socket;
    if (admitted.has(socket)) return;
    if (open <= max) {
      admitted.add(socket);
      return;
    }
    res.shouldKeepAlive = false;
    throw new LlmuxError("busy", `The gateway is serving its most connections (${max}) already`, {
      hint: `Try again in ${RETRY_AFTER_SECONDS} second, or raise gateway.maxConnections in its config`,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
  };
}
