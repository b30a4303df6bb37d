import { readFile } from "node:fs/promises";
import { PRIVATE_FILE_MODE } from "../core/paths.ts";
import { writeFileAtomic } from "../core/write-file-atomic.ts";
import type { ProbeAnswer, ProbeRequest } from "./provider-definition.ts";

/** A server that takes longer than this to answer a GET is as good as not running for a listing. */
const PROBE_TIMEOUT_MS = 1000;
/** How long an answer is trusted: repeated `llmux models` calls don't probe again. */
const ANSWER_TTL_MS = 60_000;
/** How long a failure is trusted: short, so a server just started shows up at once. */
const FAILURE_TTL_MS = 5_000;

interface CachedProbe extends ProbeAnswer {
  at: number;
}

/**
 * The probe servers get before their models are called ready: GET `url`, at most
 * PROBE_TIMEOUT_MS, the answer (status and model ids) kept in `cacheFile` so other processes
 * reuse it.
 */
export function createServerProbe(
  cacheFile: string,
  now: () => number = Date.now,
): (request: ProbeRequest) => Promise<ProbeAnswer> {
  const answers = new Map<string, Promise<ProbeAnswer>>();
  let writes = Promise.resolve();

  const remember = (url: string, answer: ProbeAnswer) => {
    writes = writes.then(async () => {
      const cache = await readCache(cacheFile);
      const at = now();
      for (const [key, entry] of Object.entries(cache)) if (!isFresh(entry, at)) delete cache[key];
      cache[url] = { ...answer, at };
      try {
        await writeFileAtomic(cacheFile, `${JSON.stringify(cache)}\n`, { mode: PRIVATE_FILE_MODE });
      } catch {
        // A data dir that cannot be written only costs the next process a probe.
      }
    });
    return writes;
  };

  return (request) => {
    let answer = answers.get(request.url);
    if (!answer) {
      answer = (async () => {
        const cached = (await readCache(cacheFile))[request.url];
        if (cached && isFresh(cached, now())) return { status: cached.status, models: cached.models };
        const fresh = await get(request);
        await remember(request.url, fresh);
        return fresh;
      })();
      answers.set(request.url, answer);
    }
    return answer;
  };
}

function isFresh(entry: CachedProbe, at: number): boolean {
  const ttl = entry.status === null ? FAILURE_TTL_MS : ANSWER_TTL_MS;
  return at - entry.at >= 0 && at - entry.at < ttl;
}

async function readCache(path: string): Promise<Record<string, CachedProbe>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
    if (typeof parsed !== "object" || parsed === null) return {};
    // An entry of any other shape (an older version's, an edited file's) is as good as absent.
    return Object.fromEntries(Object.entries(parsed).filter(([, entry]) => isCachedProbe(entry)));
  } catch {
    // Absent or half-understood: probe again.
    return {};
  }
}

function isCachedProbe(entry: unknown): entry is CachedProbe {
  if (typeof entry !== "object" || entry === null) return false;
  const { at, status, models } = entry as Record<string, unknown>;
  return (
    typeof at === "number" &&
    (status === null || typeof status === "number") &&
    (models === null || (Array.isArray(models) && models.every((m) => typeof m === "string")))
  );
}

async function get(request: ProbeRequest): Promise<ProbeAnswer> {
  try {
    const response = await fetch(request.url, {
      headers: request.headers,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const body: unknown = await response.json().catch(() => undefined);
    return { status: response.status, models: (response.ok && request.readModels(body)) || null };
  } catch {
    return { status: null, models: null };
  }
}
