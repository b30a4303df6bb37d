// The parts of reading a YouTube video that parse what YouTube sent (its watch page, a caption
// track): pure functions, run in the extraction worker like every other parse of fetched data.
import { LlmuxError } from "../core/errors.ts";
import type { ExtractedContent } from "./extract-content.ts";

export interface CaptionTrack {
  /** The timedtext URL of the track, as the page gives it. */
  baseUrl: string;
  /** BCP 47: "en", "en-GB", "pt-BR", "zh-Hans"… */
  languageCode: string;
  /** Speech recognition (auto-generated) rather than captions written by a person. */
  auto: boolean;
  /** The name YouTube shows, e.g. "English (auto-generated)". */
  name: string;
}

export interface VideoInfo {
  videoId: string;
  title: string;
  /** The channel. */
  author: string;
  lengthSeconds: number | null;
  publishDate: string | null;
  /** "OK", or why the video cannot be played here ("LOGIN_REQUIRED", "ERROR"…), with YouTube's reason. */
  playability: { status: string; reason: string | null };
  tracks: CaptionTrack[];
}

interface Segment {
  startMs: number;
  endMs: number;
  text: string;
}

/**
 * The JSON object assigned to `ytInitialPlayerResponse` in a watch page's script, found by
 * scanning from its opening brace to the matching closing one (strings skipped), or null.
 */
function playerResponseJson(html: string): string | null {
  const match = /ytInitialPlayerResponse["'\]]*\s*=\s*\{/.exec(html);
  if (!match) return null;
  const start = match.index + match[0].length - 1;
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < html.length; i++) {
    const c = html[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"') {
      quote = c;
    } else if (c === "{") {
      depth++;
    } else if (c === "}" && --depth === 0) {
      return html.slice(start, i + 1);
    }
  }
  return null;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** "Some name" from YouTube's text objects: {simpleText} or {runs: [{text}]}. */
function ytText(value: unknown): string {
  const v = obj(value);
  if (typeof v.simpleText === "string") return v.simpleText;
  if (Array.isArray(v.runs)) return v.runs.map((run) => str(obj(run).text)).join("");
  return "";
}

/**
 * What a watch page says about its video: title, channel, length, publication date, whether it
 * plays, and its caption tracks (`captions.playerCaptionsTracklistRenderer.captionTracks`).
 * Null when the page has no `ytInitialPlayerResponse` (not a watch page, or YouTube changed it).
 */
export function parseWatchPage(html: string): VideoInfo | null {
  const json = playerResponseJson(html);
  return json === null ? null : parsePlayerJson(json);
}

/** The same from a player response on its own (the JSON that InnerTube's /youtubei/v1/player answers). */
export function parsePlayerJson(json: string): VideoInfo | null {
  let player: Json;
  try {
    player = obj(JSON.parse(json));
  } catch {
    return null;
  }
  const details = obj(player.videoDetails);
  const microformat = obj(obj(player.microformat).playerMicroformatRenderer);
  const status = obj(player.playabilityStatus);
  const list = obj(obj(player.captions).playerCaptionsTracklistRenderer).captionTracks;
  const tracks = (Array.isArray(list) ? list : []).flatMap((entry): CaptionTrack[] => {
    const track = obj(entry);
    const baseUrl = str(track.baseUrl);
    const languageCode = str(track.languageCode);
    if (!baseUrl || !languageCode) return [];
    const auto = track.kind === "asr";
    return [{ baseUrl, languageCode, auto, name: ytText(track.name) }];
  });
  const length = Number(str(details.lengthSeconds) || Number.NaN);
  return {
    videoId: str(details.videoId),
    title: str(details.title) || ytText(microformat.title),
    author: str(details.author) || str(microformat.ownerChannelName),
    lengthSeconds: Number.isFinite(length) ? length : null,
    publishDate: str(microformat.publishDate) || str(microformat.uploadDate) || null,
    playability: { status: str(status.status) || "OK", reason: str(status.reason) || null },
    tracks,
  };
}

/** A language as asked for (a code, "fr_FR", or a name: "French", "français"), as codes and names to match. */
function languageKeys(language: string): { code: string | null; names: string[] } {
  const value = language.trim().replace(/_/g, "-");
  if (/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(value)) return { code: value.toLowerCase(), names: [] };
  return { code: null, names: [value.toLowerCase()] };
}

function displayNames(code: string): string[] {
  const primary = code.split("-")[0] ?? code;
  const names: string[] = [];
  for (const locale of ["en", primary]) {
    try {
      const name = new Intl.DisplayNames([locale], { type: "language" }).of(primary);
      if (name) names.push(name.toLowerCase());
    } catch {
      // Not a language Intl knows.
    }
  }
  return names;
}

/** 2: the same language and region; 1: the same language; 0: another. */
function languageMatch(track: CaptionTrack, language: string): number {
  const trackCode = track.languageCode.toLowerCase();
  const { code, names } = languageKeys(language);
  if (code) {
    if (trackCode === code) return 2;
    return trackCode.split("-")[0] === code.split("-")[0] ? 1 : 0;
  }
  return displayNames(trackCode).some((name) => names.includes(name)) ? 1 : 0;
}

/**
 * The track to read: for each preferred language in turn, a track written by a person in it
 * (the exact regional variant first), then an auto-generated one; failing all, the first
 * manual track, then the first auto-generated one.
 */
export function pickCaptionTrack(tracks: CaptionTrack[], languages: string[]): CaptionTrack | null {
  for (const language of languages) {
    for (const auto of [false, true]) {
      const best = tracks
        .filter((track) => track.auto === auto)
        .map((track) => ({ track, score: languageMatch(track, language) }))
        .filter(({ score }) => score > 0)
        .sort((a, b) => b.score - a.score)[0];
      if (best) return best.track;
    }
  }
  return tracks.find((track) => !track.auto) ?? tracks[0] ?? null;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] !== "#") return ENTITIES[entity.toLowerCase()] ?? whole;
    const code =
      entity[1] === "x" || entity[1] === "X" ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function attribute(attributes: string, name: string): number {
  return Number(new RegExp(`\\b${name}="([^"]*)"`).exec(attributes)?.[1] ?? Number.NaN);
}

/**
 * The timed lines of a caption track in any of the formats the timedtext endpoint serves:
 * json3 (`{"events": [{tStartMs, dDurationMs, segs: [{utf8}]}]}`), the classic XML
 * (`<transcript><text start="1.2" dur="3.4">…</text>`, its text HTML escaped twice) or srv3
 * (`<timedtext><body><p t="1200" d="3400">…</p>`).
 */
export function parseCaptions(body: string): Segment[] {
  const trimmed = body.trim();
  const segments: Segment[] = [];
  // An empty body is what YouTube sends when it withholds a track.
  if (trimmed === "") return segments;
  if (trimmed.startsWith("{")) {
    let events: unknown;
    try {
      events = obj(JSON.parse(trimmed)).events;
    } catch {
      events = undefined;
    }
    for (const event of Array.isArray(events) ? events : []) {
      const e = obj(event);
      if (!Array.isArray(e.segs)) continue;
      const start = Number(e.tStartMs ?? 0);
      segments.push({
        startMs: start,
        endMs: start + Number(e.dDurationMs ?? 0),
        text: e.segs.map((seg) => str(obj(seg).utf8)).join(""),
      });
    }
  } else if (/<transcript\b/.test(trimmed)) {
    for (const [, attributes = "", inner = ""] of trimmed.matchAll(/<text\b([^>]*)>([\s\S]*?)<\/text>/g)) {
      const start = attribute(attributes, "start") * 1000;
      const html = decodeEntities(inner);
      segments.push({
        startMs: start,
        endMs: start + attribute(attributes, "dur") * 1000,
        text: decodeEntities(html.replace(/<[^>]*>/g, "")),
      });
    }
  } else if (/<timedtext\b/.test(trimmed)) {
    for (const [, attributes = "", inner = ""] of trimmed.matchAll(/<p\b([^>]*)>([\s\S]*?)<\/p>/g)) {
      const start = attribute(attributes, "t");
      segments.push({
        startMs: start,
        endMs: start + attribute(attributes, "d"),
        text: decodeEntities(inner.replace(/<[^>]*>/g, "")),
      });
    }
  } else {
    throw new LlmuxError(
      "nothing_extracted",
      "YouTube sent a caption track in a format llmux does not know",
      {
        hint: "YouTube may have changed its captions; please report it",
      },
    );
  }
  return segments
    .map((segment) => ({ ...segment, text: segment.text.replace(/\s+/g, " ").trim() }))
    .filter((segment) => segment.text !== "" && !/^(?:\[[^\]]*\]|♪|\s)+$/.test(segment.text));
}

/** Seconds as h:mm:ss. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${Math.floor(s / 3600)}:${mm}:${ss}`;
}

/**
 * Caption lines joined into paragraphs: a paragraph ends at a sentence end (or a pause of a
 * second or more) once it is 500 characters long, and anywhere past 1,000 (speech recognition
 * writes no punctuation).
 */
function paragraphs(segments: Segment[]): string[] {
  const out: string[] = [];
  let current = "";
  segments.forEach((segment, i) => {
    current = current ? `${current} ${segment.text}` : segment.text;
    const next = segments[i + 1];
    const pause = next ? next.startMs - segment.endMs >= 1000 : true;
    if (current.length >= 1000 || (current.length >= 500 && (/[.!?…]["”’)]?$/.test(current) || pause))) {
      out.push(current);
      current = "";
    }
  });
  if (current) out.push(current);
  return out;
}

/**
 * A video as Markdown: "# title", a "channel · h:mm:ss · date" line, then "## Transcript:
 * track name" and the captions as paragraphs. Throws nothing_extracted when the track is empty.
 */
export function captionsToContent(body: string, video: VideoInfo, track: CaptionTrack): ExtractedContent {
  const segments = parseCaptions(body);
  if (segments.length === 0) {
    throw new LlmuxError("nothing_extracted", "YouTube sent an empty caption track for this video", {
      hint: "YouTube sometimes withholds captions from programs; try again later",
    });
  }
  const text = paragraphs(segments).join("\n\n");
  const duration = video.lengthSeconds === null ? null : formatDuration(video.lengthSeconds);
  const label = track.name || `${track.languageCode}${track.auto ? ", auto-generated" : ""}`;
  const markdown = [
    video.title ? `# ${video.title}` : "",
    [video.author, duration, video.publishDate].filter(Boolean).join(" · "),
    `## Transcript: ${label}`,
    text,
  ];
  return {
    kind: "video",
    title: video.title,
    byline: video.author || null,
    published: video.publishDate,
    lang: track.languageCode,
    markdown: markdown.filter(Boolean).join("\n\n"),
    text,
    wordCount: text.match(/[\p{L}\p{N}_]+/gu)?.length ?? 0,
  };
}
