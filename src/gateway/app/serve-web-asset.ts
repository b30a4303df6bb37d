import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

// src/gateway/app/ and dist/gateway/app/ both sit three folders below the package root.
const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../../dist/web/", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * The page may load nothing from elsewhere: model output that slipped past sanitizing still could
 * not run inline script or load a remote image that carries the chat out in its URL.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Serves `/` (index.html) and `/assets/*` of the built web app. Vite names assets by content
 * hash, so they are cached for good; the page itself is always revalidated. False when the
 * path is not a file of the app.
 */
export async function serveWebAsset(
  pathname: string,
  res: ServerResponse,
  webRoot = DEFAULT_WEB_ROOT,
  method = "GET",
): Promise<boolean> {
  const isPage = pathname === "/" || pathname === "/index.html";
  let relative: string;
  if (isPage) relative = "index.html";
  else if (pathname.startsWith("/assets/")) relative = normalize(decodeSafely(pathname).slice(1));
  else return false;
  // normalize() resolves "..": whatever is left must still be inside assets/.
  if (!isPage && !relative.startsWith(`assets${sep}`)) return false;
  let body: Buffer;
  try {
    body = await readFile(join(webRoot, relative));
  } catch (error) {
    if (!isPage) return false;
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "is not built" : "cannot be read";
    const text = `The llmux web app ${reason} (${join(webRoot, "index.html")}). Run npm run build.\n`;
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end(text);
    return true;
  }
  res.writeHead(200, {
    "content-type": CONTENT_TYPES[extname(relative)] ?? "application/octet-stream",
    "content-length": body.length,
    "cache-control": isPage ? "no-cache" : "public, max-age=31536000, immutable",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  });
  res.end(method === "HEAD" ? undefined : body);
  return true;
}

function decodeSafely(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
