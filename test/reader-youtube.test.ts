// YouTube videos read from their captions: real youtube.com links, the watch page and caption
// tracks served from test/fixtures/youtube on a loopback server standing in for YouTube
// (`youtubeOrigin`, the option behind LLMUX_YOUTUBE_ORIGIN).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { LlmuxError } from "../src/core/errors.ts";
import { type ReadPageOptions, readPage } from "../src/reader/read-page.ts";
import { type Served, serve } from "./reader-serve.ts";

const FIXTURES = "test/fixtures/youtube";
const fixture = (name: string) => readFileSync(`${FIXTURES}/${name}`, "utf8");

const WATCH: Record<string, string> = {
  llmuxTest01: fixture("watch.html"),
  llmuxPoTok1: fixture("watch-po-token.html"),
  llmuxAuto01: fixture("watch-auto-only.html"),
  llmuxNoCap1: fixture("watch-no-captions.html"),
};

let youtube: Served;
const requests: URL[] = [];
const playerRequests: Array<{
  json: { videoId?: string; context?: { client?: { clientName?: string } } };
  userAgent: string;
}> = [];
before(async () => {
  youtube = await serve(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(url);
    if (url.pathname === "/youtubei/v1/player" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const json = JSON.parse(body);
      playerRequests.push({ json, userAgent: req.headers["user-agent"] ?? "" });
      const answer =
        json.videoId === "llmuxPoTok1"
          ? fixture("player-android-vr.json")
          : JSON.stringify({ playabilityStatus: { status: "ERROR", reason: "This video is unavailable" } });
      res.writeHead(200, { "content-type": "application/json; charset=UTF-8" }).end(answer);
      return;
    }
    if (url.pathname === "/watch") {
      const page = WATCH[url.searchParams.get("v") ?? ""];
      if (page) res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      else res.writeHead(404).end();
      return;
    }
    if (url.pathname === "/api/timedtext") {
      // What YouTube answers a caption URL signed for its web player, fetched without the token.
      if (url.searchParams.get("exp") === "xpe") {
        res.writeHead(200, { "content-type": "application/json; charset=UTF-8" }).end("");
        return;
      }
      const lang = url.searchParams.get("lang");
      const auto = url.searchParams.get("kind") === "asr";
      // YouTube answers json3 when asked; this stand-in sends French in the XML form whatever
      // is asked, so both parsers run.
      if (lang === "en") {
        res
          .writeHead(200, { "content-type": "application/json; charset=UTF-8" })
          .end(fixture(auto ? "timedtext-en-asr.json3" : "timedtext-en.json3"));
      } else if (lang === "fr") {
        res.writeHead(200, { "content-type": "text/xml; charset=UTF-8" }).end(fixture("timedtext-fr.xml"));
      } else if (lang === "de-DE") {
        res.writeHead(200, { "content-type": "application/json; charset=UTF-8" }).end("");
      } else {
        res.writeHead(404).end();
      }
      return;
    }
    res.writeHead(404).end();
  });
});
after(() => youtube.close());

function options(extra: ReadPageOptions = {}): ReadPageOptions {
  return { allowPrivate: true, youtubeOrigin: youtube.origin, language: "en", ...extra };
}

function lastCaptionRequest(): URL {
  const found = requests.findLast((url) => url.pathname === "/api/timedtext");
  assert.ok(found, "a caption track was fetched");
  return found;
}

function rejectsWith(kind: string, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof LlmuxError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return true;
  };
}

describe("YouTube videos", () => {
  test("a watch link reads the manual English track: title, channel, duration, then the transcript", async () => {
    const page = await readPage("https://www.youtube.com/watch?v=llmuxTest01", options());
    assert.equal(page.kind, "video");
    assert.equal(page.title, "How We Measure a River");
    assert.equal(page.byline, "River Works");
    assert.equal(page.lang, "en");
    assert.equal(page.url, `${youtube.origin}/watch?v=llmuxTest01`);
    const [heading, meta, transcript, ...paragraphs] = page.markdown.split("\n\n");
    assert.equal(heading, "# How We Measure a River");
    assert.equal(meta, "River Works · 0:03:32 · 2024-03-14T08:00:11-07:00");
    assert.equal(transcript, "## Transcript: English");
    assert.ok(paragraphs.length >= 1);
    assert.match(
      paragraphs[0]!,
      /^Every morning at dawn, before the town wakes up, we walk down to the old mill/,
    );
    assert.match(page.markdown, /measure it too & share the data\.$/);
    assert.doesNotMatch(page.markdown, /\[Music\]/, "sound tags are not speech");
    assert.ok(page.wordCount > 100);
    assert.equal(page.text, paragraphs.join("\n\n"));

    const caption = lastCaptionRequest();
    assert.equal(caption.searchParams.get("lang"), "en");
    assert.equal(caption.searchParams.get("kind"), null, "the manual track, not the auto-generated one");
    assert.equal(caption.searchParams.get("fmt"), "json3");
    assert.equal(caption.searchParams.get("signature")?.length, 81, "the rest of the track's URL is kept");
  });

  test("short links and /shorts/ links read the same video", async () => {
    for (const link of ["https://youtu.be/llmuxTest01?t=42", "https://www.youtube.com/shorts/llmuxTest01"]) {
      const page = await readPage(link, options());
      assert.equal(page.title, "How We Measure a River", link);
      assert.equal(page.url, `${youtube.origin}/watch?v=llmuxTest01`);
    }
  });

  test("the preferred language picks its manual track, by code or by name; the XML form is read too", async () => {
    for (const language of ["fr", "French", "français", "fr_CA"]) {
      const page = await readPage("https://www.youtube.com/watch?v=llmuxTest01", options({ language }));
      assert.equal(page.lang, "fr", language);
      assert.match(page.markdown, /## Transcript: French\n/);
      // The XML form escapes twice: &amp;#39; is an apostrophe, &amp;quot; a quote.
      assert.match(page.text, /^Chaque matin à l'aube, avant que la ville se réveille, nous descendons/);
      assert.match(page.text, /Le débit "moyen" de ce printemps/);
    }
  });

  test("a language without a track falls back to English, manual before auto-generated", async () => {
    await readPage("https://www.youtube.com/watch?v=llmuxTest01", options({ language: "ja" }));
    assert.equal(lastCaptionRequest().searchParams.get("lang"), "en");
    assert.equal(lastCaptionRequest().searchParams.get("kind"), null);
  });

  test("the auto-generated track is read when there is no other", async () => {
    const page = await readPage("https://m.youtube.com/watch?v=llmuxAuto01&feature=share", options());
    assert.equal(lastCaptionRequest().searchParams.get("kind"), "asr");
    assert.match(page.markdown, /^# Notes from the Field\n\nRiver Works · 0:03:32/);
    assert.match(page.markdown, /## Transcript: English \(auto-generated\)\n/);
    assert.match(page.text, /^so every morning we go down to the mill and we measure the river the water/);
    assert.doesNotMatch(page.text, /\n(?!\n)/, "line breaks inside a paragraph are joined");
  });

  test("a caption URL gated for the web player is asked from InnerTube as an app, once", async () => {
    const before = requests.length;
    const page = await readPage("https://www.youtube.com/watch?v=llmuxPoTok1", options());
    assert.equal(page.title, "Gauging the Weir");
    assert.match(page.markdown, /## Transcript: English\n\nEvery morning at dawn/);
    const player = playerRequests.at(-1);
    assert.equal(player?.json.videoId, "llmuxPoTok1");
    assert.equal(player?.json.context?.client?.clientName, "ANDROID_VR");
    assert.match(player?.userAgent ?? "", /^com\.google\.android\.apps\.youtube\.vr/);
    const captions = requests.slice(before).filter((url) => url.pathname === "/api/timedtext");
    assert.equal(captions.length, 1, "the gated URL is not fetched in vain");
    assert.equal(captions[0]?.searchParams.get("c"), "ANDROID_VR");
    assert.equal(captions[0]?.searchParams.get("kind"), null, "still the manual track");
  });

  test("a video without captions says so", async () => {
    await assert.rejects(
      readPage("https://www.youtube.com/watch?v=llmuxNoCap1", options()),
      rejectsWith("nothing_extracted", /^This video has no captions$/),
    );
  });

  test("an empty caption track and a missing video are clear errors", async () => {
    const players = playerRequests.length;
    await assert.rejects(
      readPage("https://www.youtube.com/watch?v=llmuxTest01", options({ language: "de" })),
      rejectsWith("nothing_extracted", /empty caption track/),
    );
    assert.equal(playerRequests.length, players + 1, "InnerTube was asked too");
    await assert.rejects(
      readPage("https://www.youtube.com/watch?v=llmuxGone01", options()),
      rejectsWith("http_status", /404/),
    );
  });

  test("YouTube is fetched with the reader's rules: a loopback stand-in needs allowPrivate", async () => {
    await assert.rejects(
      readPage("https://www.youtube.com/watch?v=llmuxTest01", { youtubeOrigin: youtube.origin }),
      (error: unknown) => error instanceof LlmuxError && error.kind === "blocked_address",
    );
  });
});
