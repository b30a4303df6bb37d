import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { captionLanguages, youTubeVideoId } from "./youtube.ts";

describe("youTubeVideoId", () => {
  test("knows every form of a video link", () => {
    for (const link of [
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
      "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s&list=PL123",
      "http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
      "https://music.youtube.com/watch?v=dQw4w9WgXcQ",
      "https://youtu.be/dQw4w9WgXcQ",
      "https://youtu.be/dQw4w9WgXcQ?si=abc&t=10",
      "https://www.youtube.com/shorts/dQw4w9WgXcQ",
      "https://www.youtube.com/live/dQw4w9WgXcQ?feature=share",
      "https://www.youtube.com/embed/dQw4w9WgXcQ",
      "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
      "HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ",
    ]) {
      assert.equal(youTubeVideoId(link), "dQw4w9WgXcQ", link);
    }
  });

  test("leaves other pages, other sites and odd IDs to the page reader", () => {
    for (const source of [
      "https://www.youtube.com/@riverworks",
      "https://www.youtube.com/playlist?list=PL123",
      "https://www.youtube.com/watch?v=short",
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ/../x",
      "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
      "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
      "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
      "video.html",
      "-",
    ]) {
      assert.equal(youTubeVideoId(source), null, source);
    }
  });
});

describe("captionLanguages", () => {
  test("the language asked for, else the locale's, then English", () => {
    assert.deepEqual(captionLanguages("French", { LANG: "de_DE.UTF-8" }), ["French", "en"]);
    assert.deepEqual(captionLanguages(undefined, { LANG: "de_DE.UTF-8" }), ["de-DE", "en"]);
    assert.deepEqual(captionLanguages(undefined, { LC_ALL: "pt_BR", LANG: "de_DE" }), ["pt-BR", "en"]);
    assert.deepEqual(captionLanguages(undefined, { LC_MESSAGES: "fr", LANG: "C.UTF-8" }), ["fr", "en"]);
    assert.deepEqual(captionLanguages(undefined, { LANG: "C.UTF-8" }), ["en"]);
    assert.deepEqual(captionLanguages(undefined, { LANG: "POSIX" }), ["en"]);
    assert.deepEqual(captionLanguages(undefined, {}), ["en"]);
  });
});
