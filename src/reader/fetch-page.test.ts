import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { type Served, serve } from "../../test/reader-serve.ts";
import { LlmuxError } from "../core/errors.ts";
import type { Lookup } from "./create-guarded-agent.ts";
import { fetchPage } from "./fetch-page.ts";

/** Resolves made-up names without the system resolver. */
function lookupMap(names: Record<string, string>): Lookup {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const address = names[hostname];
    if (!address) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }));
      return;
    }
    const family = address.includes(":") ? 6 : 4;
    if (options.all) callback(null, [{ address, family }] satisfies LookupAddress[]);
    else callback(null, address, family);
  }) as Lookup;
}

function rejectsWith(kind: string) {
  return (error: unknown) => {
    assert.ok(error instanceof LlmuxError, `expected LlmuxError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return true;
  };
}

const PAGE = "<!doctype html><title>Hi</title><p>Hello there</p>";
const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });

let server: Served;
before(async () => {
  server = await serve((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const hops = Number(url.searchParams.get("n") ?? 0);
    switch (url.pathname) {
      case "/page":
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
        return;
      case "/echo-ua":
        res.writeHead(200, { "content-type": "text/plain" }).end(req.headers["user-agent"]);
        return;
      case "/chain":
        if (hops === 0) res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
        else res.writeHead(302, { location: `/chain?n=${hops - 1}` }).end();
        return;
      case "/to":
        res.writeHead(301, { location: url.searchParams.get("u") ?? "/" }).end();
        return;
      case "/status":
        res.writeHead(Number(url.searchParams.get("code"))).end("nope");
        return;
      case "/slow":
        res.writeHead(200, { "content-type": "text/html" });
        res.write("<p>start");
        return; // never ends
      case "/huge": {
        res.writeHead(200, { "content-type": "text/html" });
        const chunk = Buffer.alloc(64 * 1024, "a");
        const pump = () => {
          while (res.write(chunk)) if (res.writableLength > 1e9) return;
          res.once("drain", pump);
        };
        pump();
        res.on("close", () => res.removeAllListeners("drain"));
        return;
      }
      case "/bomb":
        res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(bomb);
        return;
      case "/gzip":
        res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(gzipSync(PAGE));
        return;
      case "/pdf":
        res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.4 ...");
        return;
      case "/image":
        res.writeHead(200, { "content-type": "image/png" }).end("\x89PNG\r\n");
        return;
      case "/octet-pdf":
        res.writeHead(200, { "content-type": "application/octet-stream" }).end("%PDF-1.4 \u0000\u0001");
        return;
      case "/markdown":
        res.writeHead(200, { "content-type": "text/markdown; charset=utf-8" }).end("# Notes\n\nSome *text*.");
        return;
      case "/latin1":
        res
          .writeHead(200, { "content-type": "text/html; charset=iso-8859-1" })
          .end(Buffer.from("<p>caf\xe9 na\xefve \x80</p>", "latin1"));
        return;
      case "/meta-sjis":
        res
          .writeHead(200, { "content-type": "text/html" })
          .end(
            Buffer.concat([
              Buffer.from(
                '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
              ),
              Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea]),
            ]),
          );
        return;
      case "/bom":
        res
          .writeHead(200, { "content-type": "text/html; charset=windows-1252" })
          .end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("<p>naïve — ok</p>")]));
        return;
      case "/undeclared-1252":
        res
          .writeHead(200, { "content-type": "text/html" })
          .end(Buffer.from("<p>\x93quoted\x94 caf\xe9</p>", "latin1"));
        return;
      default:
        res.writeHead(404).end();
    }
  });
});
after(() => server.close());

const local = { allowPrivate: true };

describe("fetchPage", () => {
  test("fetches an HTML page with a browser-like User-Agent", async () => {
    const page = await fetchPage(`${server.origin}/page`, local);
    assert.equal(page.kind, "html");
    assert.equal(page.status, 200);
    assert.equal(page.body, PAGE);
    const ua = await fetchPage(`${server.origin}/echo-ua`, local);
    assert.match(ua.body, /^Mozilla\/5\.0 .*Chrome\//);
  });

  test("follows a chain of 3 redirects and reports the final URL", async () => {
    const page = await fetchPage(`${server.origin}/chain?n=3`, local);
    assert.equal(page.url, `${server.origin}/chain?n=0`);
    assert.equal(page.body, PAGE);
  });

  test("gives up after 5 redirects", async () => {
    await fetchPage(`${server.origin}/chain?n=5`, local);
    await assert.rejects(fetchPage(`${server.origin}/chain?n=6`, local), rejectsWith("http_status"));
  });

  test("refuses non-http(s) URLs and redirects to them", async () => {
    await assert.rejects(fetchPage("file:///etc/passwd", local), rejectsWith("usage"));
    await assert.rejects(fetchPage(`${server.origin}/to?u=file:///etc/passwd`, local), rejectsWith("usage"));
  });

  test("maps 4xx and 5xx to http_status with the status", async () => {
    for (const code of [404, 503]) {
      await assert.rejects(fetchPage(`${server.origin}/status?code=${code}`, local), (error: unknown) => {
        assert.ok(error instanceof LlmuxError);
        assert.equal(error.kind, "http_status");
        assert.equal(error.status, code);
        assert.match(error.message, new RegExp(String(code)));
        return true;
      });
    }
  });

  test("decodes gzip bodies", async () => {
    const page = await fetchPage(`${server.origin}/gzip`, local);
    assert.equal(page.body, PAGE);
  });

  test("a response that never ends times out within the bound", async () => {
    const started = Date.now();
    await assert.rejects(
      fetchPage(`${server.origin}/slow`, { ...local, timeoutMs: 400 }),
      rejectsWith("timeout"),
    );
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  test("an endless response fails as too_large at the cap", async () => {
    await assert.rejects(
      fetchPage(`${server.origin}/huge`, { ...local, maxBytes: 2 * 1024 * 1024 }),
      rejectsWith("too_large"),
    );
  });

  test("a gzip bomb (200 kB expanding to 200 MB) fails fast as too_large", async () => {
    const started = Date.now();
    await assert.rejects(fetchPage(`${server.origin}/bomb`, local), rejectsWith("too_large"));
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });

  test("a PDF, declared or known by its magic bytes, comes back as its bytes", async () => {
    for (const path of ["/pdf", "/octet-pdf"]) {
      const page = await fetchPage(`${server.origin}${path}`, local);
      assert.equal(page.kind, "pdf", path);
      assert.equal(page.body, "");
      assert.equal(page.data.subarray(0, 5).toString("latin1"), "%PDF-");
    }
  });

  test("an image is unsupported_content naming its type, refused before its body is read", async () => {
    await assert.rejects(fetchPage(`${server.origin}/image`, local), (error: unknown) => {
      assert.ok(error instanceof LlmuxError);
      assert.equal(error.kind, "unsupported_content");
      assert.match(error.message, /image\/png is not supported/);
      return true;
    });
  });

  test("accepts Markdown", async () => {
    const page = await fetchPage(`${server.origin}/markdown`, local);
    assert.equal(page.kind, "markdown");
    assert.equal(page.body, "# Notes\n\nSome *text*.");
  });

  test("decodes legacy charsets from the header, a <meta> tag, a BOM, or falls back to windows-1252", async () => {
    assert.equal((await fetchPage(`${server.origin}/latin1`, local)).body, "<p>café naïve €</p>");
    const sjis = await fetchPage(`${server.origin}/meta-sjis`, local);
    assert.equal(sjis.charset, "shift_jis");
    assert.ok(sjis.body.endsWith("日本語"), sjis.body);
    assert.equal((await fetchPage(`${server.origin}/bom`, local)).body, "<p>naïve — ok</p>");
    assert.equal((await fetchPage(`${server.origin}/undeclared-1252`, local)).body, "<p>“quoted” café</p>");
  });

  test("maps DNS failures and refused connections", async () => {
    await assert.rejects(fetchPage("http://nowhere.example/", { lookup: lookupMap({}) }), rejectsWith("dns"));
    const closed = await serve(() => {});
    const deadUrl = `${closed.origin}/`;
    await closed.close();
    await assert.rejects(fetchPage(deadUrl, local), rejectsWith("connection_refused"));
  });
});

describe("fetchPage SSRF guard", () => {
  test("refuses loopback by default, by IP literal and by name", async () => {
    await assert.rejects(fetchPage(`${server.origin}/page`), rejectsWith("blocked_address"));
    await assert.rejects(fetchPage(`http://localhost:${server.port}/page`), rejectsWith("blocked_address"));
    await assert.rejects(
      fetchPage(`http://[::ffff:127.0.0.1]:${server.port}/page`),
      rejectsWith("blocked_address"),
    );
  });

  test("refuses a public-looking name that resolves to 127.0.0.1", async () => {
    const lookup = lookupMap({ "public.example": "127.0.0.1" });
    await assert.rejects(
      fetchPage(`http://public.example:${server.port}/page`, { lookup }),
      (error: unknown) => {
        assert.ok(error instanceof LlmuxError);
        assert.equal(error.kind, "blocked_address");
        assert.match(error.message, /public\.example \(127\.0\.0\.1\): loopback/);
        assert.match(error.hint ?? "", /--allow-private/);
        return true;
      },
    );
  });

  test("refuses a name with any private address among its answers", async () => {
    const lookup = ((_h: string, _o: unknown, cb: (...a: unknown[]) => void) =>
      cb(null, [
        { address: "8.8.8.8", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ])) as Lookup;
    await assert.rejects(fetchPage("http://public.example/", { lookup }), rejectsWith("blocked_address"));
  });

  test("checks every redirect hop: a trusted host redirecting to a private one is blocked", async () => {
    const lookup = lookupMap({ "public.example": "127.0.0.1", "internal.example": "127.0.0.1" });
    const options = { lookup, allowHosts: ["public.example"] };
    const page = await fetchPage(`http://public.example:${server.port}/page`, options);
    assert.equal(page.body, PAGE);
    for (const target of [
      `http://internal.example:${server.port}/page`,
      `http://127.0.0.1:${server.port}/page`,
    ]) {
      const start = `http://public.example:${server.port}/to?u=${encodeURIComponent(target)}`;
      await assert.rejects(fetchPage(start, options), rejectsWith("blocked_address"));
    }
  });

  test("allowPrivate opts in", async () => {
    const lookup = lookupMap({ "public.example": "127.0.0.1" });
    const page = await fetchPage(`http://public.example:${server.port}/page`, { lookup, allowPrivate: true });
    assert.equal(page.body, PAGE);
  });
});
