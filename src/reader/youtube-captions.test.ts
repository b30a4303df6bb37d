import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type CaptionTrack,
  captionsToContent,
  formatDuration,
  parseCaptions,
  parseWatchPage,
  pickCaptionTrack,
} from "./youtube-captions.ts";

const track = (languageCode: string, auto = false): CaptionTrack => ({
  baseUrl: `https://www.youtube.com/api/timedtext?lang=${languageCode}${auto ? "&kind=asr" : ""}`,
  languageCode,
  auto,
  name: languageCode,
});

describe("parseWatchPage", () => {
  test("finds the player response however it is assigned, braces in strings and all", () => {
    const player = {
      videoDetails: {
        videoId: "abcdefghijk",
        title: 'A {curly} "title"',
        author: "Chan",
        lengthSeconds: "61",
      },
      playabilityStatus: { status: "OK" },
      captions: {
        playerCaptionsTracklistRenderer: {
          captionTracks: [
            {
              baseUrl: "https://www.youtube.com/api/timedtext?v=x",
              languageCode: "en",
              kind: "asr",
              name: { runs: [{ text: "English (auto-generated)" }] },
            },
            { baseUrl: "", languageCode: "fr" },
          ],
        },
      },
    };
    for (const html of [
      `<script>var ytInitialPlayerResponse = ${JSON.stringify(player)};var meta = {};</script>`,
      `<script>window["ytInitialPlayerResponse"] = ${JSON.stringify(player)};</script>`,
    ]) {
      const info = parseWatchPage(html);
      assert.equal(info?.title, 'A {curly} "title"');
      assert.equal(info?.author, "Chan");
      assert.equal(info?.lengthSeconds, 61);
      assert.deepEqual(info?.tracks, [
        {
          baseUrl: "https://www.youtube.com/api/timedtext?v=x",
          languageCode: "en",
          auto: true,
          name: "English (auto-generated)",
        },
      ]);
    }
    assert.equal(parseWatchPage("<html>no player here</html>"), null);
    assert.equal(parseWatchPage("var ytInitialPlayerResponse = {broken"), null);
  });

  test("a video YouTube will not play says why", () => {
    const info = parseWatchPage(
      `var ytInitialPlayerResponse = ${JSON.stringify({ playabilityStatus: { status: "LOGIN_REQUIRED", reason: "Sign in to confirm your age" } })};`,
    );
    assert.deepEqual(info?.playability, { status: "LOGIN_REQUIRED", reason: "Sign in to confirm your age" });
    assert.deepEqual(info?.tracks, []);
  });
});

describe("pickCaptionTrack", () => {
  const tracks = [track("en", true), track("en-GB"), track("fr"), track("pt-BR"), track("pt-PT")];
  test("manual before auto-generated, exact region before the language alone", () => {
    assert.equal(pickCaptionTrack(tracks, ["en"])?.languageCode, "en-GB");
    assert.equal(pickCaptionTrack(tracks, ["pt-PT"])?.languageCode, "pt-PT");
    assert.equal(pickCaptionTrack(tracks, ["pt"])?.languageCode, "pt-BR");
    assert.equal(pickCaptionTrack([track("en", true), track("fr")], ["en"])?.auto, true);
  });
  test("names work as well as codes; no match falls to the next language, then any manual track", () => {
    assert.equal(pickCaptionTrack(tracks, ["Portuguese"])?.languageCode, "pt-BR");
    assert.equal(pickCaptionTrack(tracks, ["français"])?.languageCode, "fr");
    assert.equal(pickCaptionTrack(tracks, ["ja", "fr"])?.languageCode, "fr");
    assert.equal(pickCaptionTrack([track("de", true), track("es")], ["ja", "en"])?.languageCode, "es");
    assert.equal(pickCaptionTrack([track("de", true)], ["en"])?.languageCode, "de");
    assert.equal(pickCaptionTrack([], ["en"]), null);
  });
});

describe("parseCaptions", () => {
  test("reads json3, the classic XML (escaped twice) and srv3; drops sound tags", () => {
    const json3 = JSON.stringify({
      events: [
        { tStartMs: 0, dDurationMs: 5000, id: 1 },
        { tStartMs: 100, dDurationMs: 2000, segs: [{ utf8: "[Music]" }] },
        { tStartMs: 2000, dDurationMs: 2000, segs: [{ utf8: "hello" }, { utf8: " world", tOffsetMs: 300 }] },
        { tStartMs: 3000, dDurationMs: 100, aAppend: 1, segs: [{ utf8: "\n" }] },
      ],
    });
    assert.deepEqual(parseCaptions(json3), [{ startMs: 2000, endMs: 4000, text: "hello world" }]);
    const xml =
      '<?xml version="1.0" encoding="utf-8" ?><transcript><text start="1.5" dur="2">It&amp;#39;s <i>fine</i>\n&amp;amp; good</text><text start="4" dur="1">♪</text></transcript>';
    assert.deepEqual(parseCaptions(xml), [{ startMs: 1500, endMs: 3500, text: "It's fine & good" }]);
    const srv3 =
      '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body><p t="1200" d="800"><s>one</s><s t="300"> two</s></p><p t="2000" d="500">three &amp; four</p></body></timedtext>';
    assert.deepEqual(parseCaptions(srv3), [
      { startMs: 1200, endMs: 2000, text: "one two" },
      { startMs: 2000, endMs: 2500, text: "three & four" },
    ]);
    assert.deepEqual(parseCaptions(""), []);
    assert.throws(() => parseCaptions("WEBVTT\n\n00:00.000 --> 00:01.000\nhi"), /format llmux does not know/);
  });
});

describe("captionsToContent", () => {
  test("paragraphs of about 500 to 1,000 characters, at sentence ends or pauses", () => {
    const sentence = "The river ran cold and clear past the old mill at dawn today.";
    const events = Array.from({ length: 40 }, (_, i) => ({
      tStartMs: i * 3000,
      dDurationMs: 2900,
      segs: [{ utf8: sentence }],
    }));
    const video = {
      videoId: "x",
      title: "T",
      author: "A",
      lengthSeconds: 3725,
      publishDate: null,
      playability: { status: "OK", reason: null },
      tracks: [],
    };
    const out = captionsToContent(JSON.stringify({ events }), video, track("en"));
    const paragraphs = out.text.split("\n\n");
    assert.ok(paragraphs.length >= 3);
    for (const p of paragraphs.slice(0, -1))
      assert.ok(p.length >= 500 && p.length <= 1000 && p.endsWith("."), p);
    assert.match(out.markdown, /^# T\n\nA · 1:02:05\n\n## Transcript: en\n\nThe river/);
    assert.equal(out.kind, "video");
    assert.throws(() => captionsToContent("", video, track("en")), /empty caption track/);
  });

  test("durations as h:mm:ss", () => {
    assert.equal(formatDuration(0), "0:00:00");
    assert.equal(formatDuration(212), "0:03:32");
    assert.equal(formatDuration(3725), "1:02:05");
    assert.equal(formatDuration(36000), "10:00:00");
  });
});
