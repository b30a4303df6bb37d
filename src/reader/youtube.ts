import { performance } from "node:perf_hooks";
import { isLlmuxError, LlmuxError } from "../core/errors.ts";
import { decodeBody } from "./decode-body.ts";
import { captionsInWorker, parsePlayerJsonInWorker, parseWatchPageInWorker } from "./extract-in-worker.ts";
import { type FetchResourceOptions, fetchResource } from "./fetch-page.ts";
import type { ReadPage, ReadPageOptions } from "./read-page.ts";
import { type CaptionTrack, pickCaptionTrack } from "./youtube-captions.ts";

const YOUTUBE = "https://www.youtube.com";
const HOSTS =
  /^(?:(?:www|m|music)\.youtube\.com|youtube\.com|(?:www\.)?youtube-nocookie\.com|(?:www\.)?youtu\.be)$/i;
const VIDEO_ID = /^[\w-]{11}$/;

/**
 * The video ID of a YouTube video link: youtube.com/watch?v=ID (www., m., music.),
 * youtu.be/ID, /shorts/ID, /live/ID, /embed/ID; null for anything else (channels, playlists
 * and other pages are read as web pages).
 */
export function youTubeVideoId(source: string): string | null {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol) || !HOSTS.test(url.hostname)) return null;
  const id = /youtu\.be$/i.test(url.hostname)
    ? url.pathname.split("/")[1]
    : url.pathname === "/watch"
      ? url.searchParams.get("v")
      : /^\/(?:shorts|live|embed|v)\/([^/]+)/.exec(url.pathname)?.[1];
  return id && VIDEO_ID.test(id) ? id : null;
}

/**
 * The languages to look for captions in: the one asked for, else the locale's (LC_ALL,
 * LC_MESSAGES, LANG: "fr_FR.UTF-8" → fr-FR), then English.
 */
export function captionLanguages(
  language: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  const match = /^([a-z]{2,3})(?:_([A-Z]{2}))?\b/.exec(locale);
  const fromLocale = match ? (match[2] ? `${match[1]}-${match[2]}` : match[1]!) : undefined;
  return [language?.trim() || fromLocale, "en"].filter((l): l is string => Boolean(l));
}

/**
 * Where YouTube is: https://www.youtube.com, or the origin in the option or LLMUX_YOUTUBE_ORIGIN
 * (tests serve a watch page and caption tracks on a loopback server). Caption URLs on a YouTube
 * host are sent there too.
 */
function youTubeOrigin(options: ReadPageOptions): string {
  const origin = options.youtubeOrigin ?? process.env.LLMUX_YOUTUBE_ORIGIN ?? YOUTUBE;
  try {
    return new URL(origin).origin;
  } catch {
    throw new LlmuxError("config", `LLMUX_YOUTUBE_ORIGIN is not a URL: ${origin}`);
  }
}

function captionUrl(baseUrl: string, pageUrl: string, origin: string): string {
  const url = new URL(baseUrl, pageUrl);
  if (HOSTS.test(url.hostname) && origin !== YOUTUBE) {
    const target = new URL(origin);
    url.protocol = target.protocol;
    url.host = target.host;
  }
  // The JSON form; parseCaptions reads the XML forms too.
  url.searchParams.set("fmt", "json3");
  return url.href;
}

/**
 * A caption URL YouTube signed for its web player only: fetched without the proof-of-origin
 * token that player makes, it answers 200 with an empty body.
 */
const PO_TOKEN_GATED = /[?&]exp=xpe(?:&|$)/;

/**
 * The client InnerTube (YouTube's own API) is asked as when the web page's caption URLs are
 * gated: its caption URLs need no token (the client yt-dlp and others use for this).
 */
const INNERTUBE_USER_AGENT =
  "com.google.android.apps.youtube.vr.oculus/1.62.27 (Linux; U; Android 12L; eureka-user Build/SQ3A.220605.009.A1) gzip";
const INNERTUBE_CLIENT = {
  clientName: "ANDROID_VR",
  clientVersion: "1.62.27",
  androidSdkVersion: 32,
  osName: "Android",
  osVersion: "12L",
  hl: "en",
  gl: "US",
};

/**
 * Reads a YouTube video from its captions: fetches the watch page (with the reader's safety
 * rules), finds the caption tracks in its `ytInitialPlayerResponse`, picks one (a manual track
 * in the preferred language, then an auto-generated one; see pickCaptionTrack), fetches it and
 * turns it into Markdown with the title, channel and duration. When the page's caption URL is
 * gated (or answers nothing), the same track is asked from InnerTube's player endpoint, as an
 * app would, once.
 * Throws nothing_extracted for a video without captions, one that cannot be played, one whose
 * captions YouTube withholds, or a page without the video's data.
 */
export async function readYouTube(videoId: string, options: ReadPageOptions = {}): Promise<ReadPage> {
  const origin = youTubeOrigin(options);
  const timings = { fetchMs: 0, extractMs: 0 };
  const timed = async <T>(what: keyof typeof timings, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[what] += performance.now() - started;
    }
  };
  const fetchOptions: FetchResourceOptions = {
    ...options,
    // Past the cookie consent page YouTube shows in Europe (only "necessary" cookies).
    headers: { cookie: "SOCS=CAI", accept: "text/html,*/*;q=0.8" },
  };
  const page = await timed("fetchMs", () =>
    fetchResource(`${origin}/watch?v=${videoId}`, {
      ...fetchOptions,
      checkMediaType: (type) => {
        if (type && type !== "text/html") {
          throw new LlmuxError(
            "unsupported_content",
            `YouTube answered with ${type} instead of the video's page`,
          );
        }
      },
    }),
  );
  const video = await timed("extractMs", () =>
    parseWatchPageInWorker(decodeBody(page.data, page.headerCharset).text),
  );
  if (!video) {
    throw new LlmuxError("nothing_extracted", `Found no video data on ${page.url}`, {
      hint: "the video may not exist, or YouTube changed its pages",
    });
  }
  if (video.tracks.length === 0) {
    if (video.playability.status !== "OK") {
      throw new LlmuxError(
        "nothing_extracted",
        `YouTube does not play this video here (${video.playability.reason ?? video.playability.status})`,
        { hint: "llmux reads the captions of public videos" },
      );
    }
    throw new LlmuxError("nothing_extracted", "This video has no captions", {
      hint: "llmux reads a video's captions (its own or auto-generated ones); this one has none",
    });
  }
  const languages = captionLanguages(options.language);
  const fetchTrack = async (track: CaptionTrack) => {
    const answer = await fetchResource(captionUrl(track.baseUrl, page.url, origin), fetchOptions);
    return decodeBody(answer.data, answer.headerCharset).text;
  };
  let track = pickCaptionTrack(video.tracks, languages)!;
  let body = PO_TOKEN_GATED.test(track.baseUrl) ? "" : await timed("fetchMs", () => fetchTrack(track));
  if (body.trim() === "") {
    const tracks = await timed("fetchMs", () => innertubeTracks(videoId, origin, fetchOptions, timed));
    const same = tracks.find((t) => t.languageCode === track.languageCode && t.auto === track.auto);
    const other = same ?? pickCaptionTrack(tracks, languages);
    if (other) {
      track = { ...other, name: other.name || track.name };
      body = await timed("fetchMs", () => fetchTrack(track));
    }
  }
  if (body.trim() === "") {
    throw new LlmuxError("nothing_extracted", "YouTube sent an empty caption track for this video", {
      hint: "YouTube withholds some videos' captions from programs; try again later",
    });
  }
  const content = await timed("extractMs", () => captionsInWorker(body, video, track));
  return {
    url: page.url,
    ...content,
    timings: { fetchMs: Math.round(timings.fetchMs), extractMs: Math.round(timings.extractMs) },
  };
}

/**
 * The video's caption tracks as InnerTube's player endpoint gives them to an app (without the
 * tokens the web player's need); none when it refuses (an HTTP error) or lists none.
 */
async function innertubeTracks(
  videoId: string,
  origin: string,
  options: FetchResourceOptions,
  timed: <T>(what: "fetchMs" | "extractMs", work: () => Promise<T>) => Promise<T>,
): Promise<CaptionTrack[]> {
  let answer: Awaited<ReturnType<typeof fetchResource>>;
  try {
    answer = await fetchResource(`${origin}/youtubei/v1/player?prettyPrint=false`, {
      ...options,
      method: "POST",
      requestBody: JSON.stringify({
        context: { client: INNERTUBE_CLIENT },
        videoId,
        contentCheckOk: true,
        racyCheckOk: true,
      }),
      headers: { "content-type": "application/json", "x-goog-api-format-version": "2" },
      userAgent: INNERTUBE_USER_AGENT,
    });
  } catch (error) {
    if (isLlmuxError(error) && error.kind === "http_status") return [];
    throw error;
  }
  const info = await timed("extractMs", () => parsePlayerJsonInWorker(decodeBody(answer.data).text));
  return (info?.tracks ?? []).filter((track) => !PO_TOKEN_GATED.test(track.baseUrl));
}
