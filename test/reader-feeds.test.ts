// RSS and Atom feeds read as one Markdown digest of their newest entries: the feeds of
// test/fixtures/feeds served over loopback HTTP with the content types feeds come with.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { LlmuxError } from "../src/core/errors.ts";
import { readPage } from "../src/reader/read-page.ts";
import { type Served, serve } from "./reader-serve.ts";

const RSS = readFileSync("test/fixtures/feeds/rss.xml");
const ATOM = readFileSync("test/fixtures/feeds/atom.xml");

let server: Served;
before(async () => {
  const files: Record<string, [Buffer | string, string]> = {
    "/feed.xml": [RSS, "application/rss+xml; charset=utf-8"],
    "/atom": [ATOM, "application/atom+xml"],
    "/atom-as-xml": [ATOM, "text/xml"],
    "/rss-untyped": [RSS, "application/octet-stream"],
    "/sitemap.xml": [
      '<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>',
      "application/xml",
    ],
    "/latin1.rss": [
      Buffer.from(
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\xe9 news</title><item><title>Cr\xe8me br\xfbl\xe9e</title><description>Tr\xe8s bon.</description></item></channel></rss>',
        "latin1",
      ),
      "application/rss+xml",
    ],
    "/empty.rss": [
      '<rss version="2.0"><channel><title>Nothing yet</title></channel></rss>',
      "application/rss+xml",
    ],
  };
  server = await serve((req, res) => {
    const file = files[req.url ?? ""];
    if (file) res.writeHead(200, { "content-type": file[1] }).end(file[0]);
    else res.writeHead(404).end();
  });
});
after(() => server.close());

const local = { allowPrivate: true };

/** The digest's "## [title](link)" entry headings, in order. */
const entries = (markdown: string) => markdown.match(/^## .*$/gm) ?? [];

describe("feeds", () => {
  test("an RSS 2.0 feed: title, newest entries first, linked headings, dates, authors, summaries as Markdown", async () => {
    const page = await readPage(`${server.origin}/feed.xml`, local);
    assert.equal(page.kind, "feed");
    assert.equal(page.title, "River Works & Friends");
    assert.equal(page.lang, "en-GB");
    assert.equal(page.published, "2024-05-06T09:30:00.000Z");
    assert.deepEqual(entries(page.markdown), [
      "## [New weir approved by the town council](https://river.example/2024/05/new-weir)",
      "## [Spring discharge twice the summer mean](https://river.example/2024/04/spring-discharge)",
      "## [A new staff gauge on the bridge pier](https://river.example/2024/04/staff-gauge)",
      "## [Volunteers wanted for the dawn readings](https://river.example/2024/03/volunteers)",
    ]);
    const [title, about, description] = page.markdown.split("\n\n");
    assert.equal(title, "# River Works & Friends");
    assert.equal(about, "https://river.example/ · 4 entries");
    assert.equal(description, "News from the people who measure the river.");
    // Each entry: its heading, a date · author line, then its summary (the description, not
    // content:encoded), HTML as Markdown, links made absolute against the entry's address,
    // its own headings below the entry's.
    assert.ok(
      page.markdown.includes(
        "## [New weir approved by the town council](https://river.example/2024/05/new-weir)\n\n2024-05-06 · Ben Gauge\n\n" +
          "The council used our numbers to plan the new weir at the old mill.\n\n#### What changes\n\nBoats will pass on the east bank.",
      ),
      page.markdown,
    );
    assert.match(
      page.markdown,
      /2024-04-30 · Ann Hydro\n\nThis spring the river carried \*\*twice\*\* its summer mean\. \[The readings\]\(https:\/\/river\.example\/data\/2024-spring\.csv\) are online\./,
    );
    assert.doesNotMatch(page.markdown, /The full story/, "the summary, not the full content");
    assert.match(page.text, /^River Works & Friends\n\nNews from the people/);
    assert.doesNotMatch(page.text, /\]\(|\*\*|^#/m);
  });

  test("limit keeps the newest N entries and says how many there were", async () => {
    const page = await readPage(`${server.origin}/feed.xml`, { ...local, limit: 2 });
    assert.equal(entries(page.markdown).length, 2);
    assert.match(
      page.markdown,
      /^# River Works & Friends\n\nhttps:\/\/river\.example\/ · the 2 newest of 4 entries\n\n/,
    );
    assert.match(entries(page.markdown)[0]!, /New weir/);
    assert.match(entries(page.markdown)[1]!, /Spring discharge/);
  });

  test("an Atom feed: xhtml, html and text content, HTML titles as text, relative links resolved", async () => {
    for (const path of ["/atom", "/atom-as-xml"]) {
      const page = await readPage(`${server.origin}${path}`, local);
      assert.equal(page.kind, "feed", path);
      assert.equal(page.title, "Field Notes");
      assert.equal(page.lang, "en");
      assert.deepEqual(entries(page.markdown), [
        "## [Flood marks on the mill wall](https://notes.example/2024/05/flood-marks)",
        `## [Sediment samples from the lower reach](${server.origin}/2024/04/sediment)`,
        "## [Winter ice on the gauge](https://notes.example/2024/01/ice)",
      ]);
      assert.match(page.markdown, /Notes from the _field_ team\./);
      assert.match(
        page.markdown,
        /2024-05-02\n\nThe mill wall carries \*\*seven\*\* flood marks; the highest is from 1947\.\n\n-\s+1947: 2\.9 m\n-\s+2007: 2\.1 m/,
      );
      assert.match(
        page.markdown,
        /2024-04-20 · Cara Silt\n\nWe took twelve cores below the weir\. \[The core log\]\(http:\/\/127\.0\.0\.1:\d+\/cores\) lists them all\./,
      );
      assert.match(
        page.markdown,
        /2024-01-12\n\nIce covered the staff gauge for three days; we read the level from the bank\.$/,
      );
    }
  });

  test("a feed sent as untyped bytes, one in Latin-1 as its XML declaration says, and local files", async () => {
    assert.equal((await readPage(`${server.origin}/rss-untyped`, local)).kind, "feed");
    const latin1 = await readPage(`${server.origin}/latin1.rss`, local);
    assert.equal(latin1.title, "Café news");
    assert.match(latin1.markdown, /## Crème brûlée\n\nTrès bon\./);
    const rss = await readPage("test/fixtures/feeds/rss.xml", { limit: 1 });
    assert.deepEqual(entries(rss.markdown), [
      "## [New weir approved by the town council](https://river.example/2024/05/new-weir)",
    ]);
    // In a file, relative links resolve against the site the feed names.
    const atom = await readPage("test/fixtures/feeds/atom.xml");
    assert.match(atom.markdown, /\(https:\/\/notes\.example\/2024\/04\/sediment\)/);
  });

  test("XML that is not a feed is unsupported; a feed without entries says so", async () => {
    await assert.rejects(readPage(`${server.origin}/sitemap.xml`, local), (error: unknown) => {
      assert.ok(error instanceof LlmuxError);
      assert.equal(error.kind, "unsupported_content");
      assert.match(error.message, /application\/xml is not supported/);
      return true;
    });
    await assert.rejects(readPage(`${server.origin}/empty.rss`, local), (error: unknown) => {
      assert.ok(error instanceof LlmuxError);
      assert.equal(error.kind, "nothing_extracted");
      assert.match(error.message, /The feed has no entries/);
      return true;
    });
  });
});
