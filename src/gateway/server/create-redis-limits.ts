import { createHash, randomBytes } from "node:crypto";
import { createClient } from "@redis/client";
import { LlmuxError } from "../../core/errors.ts";
import { redactSecrets } from "../../core/redact-secrets.ts";
import { redactDatabaseUrl } from "../../store/redact-database-url.ts";
import { createCommandWatchdog } from "./create-command-watchdog.ts";
import type { BudgetHold, Limits } from "./limits.ts";

interface RedisLimitsOptions {
  /** redis:// or rediss:// URL (LLMUX_REDIS_URL or redis.url). */
  url: string;
  /** While Redis is unreachable: true counts in this process (as without Redis), false answers 503. */
  failOpen: boolean;
  /** This process's counters: the fallback when failing open, and balance(). */
  local: Limits;
  /** USD spent per key from the usage log: where a key's spend starts when Redis has none. */
  spend: () => Promise<Map<string, number>>;
  log: (line: string) => void;
  /** How long a hold lasts unreleased (a request in flight on a replica that died); default 1 h. */
  holdLeaseMs?: number;
}

// A command Redis does not answer in time fails the request's check (as Redis being down would).
const COMMAND_TIMEOUT_MS = 2000;
const WATCHDOG_INTERVAL_MS = 250;
const RETRY_AFTER_SECONDS = 2;
// Releases Redis could not take are retried when it is back, up to this many.
const MAX_PENDING_RELEASES = 10_000;

// A sliding window of one minute (Redis's clock, whichever replica asks): at most rpm requests
// in any 60 s, exactly, however many replicas count.
const TAKE_REQUEST = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], 60000)
return 1`;

// Tokens per minute: a key's tokens per second (Redis's clock) in KEYS[1]:<unix second>, each
// kept 61 s; admission sums the last 60 of them, so the window is exact however many replicas
// count. Answers {1, 0} or {0, seconds until enough of the window has passed}.
const ADMIT_TOKENS = `
local now = tonumber(redis.call('TIME')[1])
local names = {}
for i = 1, 60 do names[i] = KEYS[1] .. ':' .. (now - 60 + i) end
local counts = redis.call('MGET', unpack(names))
local limit = tonumber(ARGV[1])
local total = 0
for i = 1, 60 do total = total + (tonumber(counts[i]) or 0) end
if total < limit then return {1, 0} end
for i = 1, 60 do
  total = total - (tonumber(counts[i]) or 0)
  if total < limit then return {0, i} end
end
return {0, 60}`;

const ADD_TOKENS = `
local name = KEYS[1] .. ':' .. redis.call('TIME')[1]
redis.call('INCRBY', name, ARGV[1])
redis.call('EXPIRE', name, 61)
return 1`;

// Amounts are integer nano-USD, passed as strings (Lua would print large numbers as 1e+15).
// KEYS: the key's totals (spent, held), its holds' deadlines, its holds' amounts.
// ARGV: budget, amount, hold id, lease ms, spend to start from ('' = ask the caller for it).
const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  local amount = redis.call('HGET', KEYS[3], id)
  if amount and amount ~= '0' then redis.call('HINCRBY', KEYS[1], 'held', '-' .. amount) end
  redis.call('HDEL', KEYS[3], id)
  redis.call('ZREM', KEYS[2], id)
end
local spent = redis.call('HGET', KEYS[1], 'spent')
if not spent then
  if ARGV[5] == '' then return {-1, '0', '0'} end
  spent = ARGV[5]
  redis.call('HSET', KEYS[1], 'spent', spent)
end
local held = redis.call('HGET', KEYS[1], 'held') or '0'
if tonumber(spent) + tonumber(held) + tonumber(ARGV[2]) > tonumber(ARGV[1]) then return {0, spent, held} end
redis.call('HINCRBY', KEYS[1], 'held', ARGV[2])
redis.call('HSET', KEYS[3], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
return {1, spent, held}`;

// Releases a hold and charges its cost in one step; a second call (a retry) finds no hold and
// does nothing. After Redis lost its data the hold is gone too: the usage log has the cost.
const RELEASE = `
local amount = redis.call('HGET', KEYS[3], ARGV[1])
if not amount then return 0 end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if amount ~= '0' then redis.call('HINCRBY', KEYS[1], 'held', '-' .. amount) end
if redis.call('HEXISTS', KEYS[1], 'spent') == 1 then redis.call('HINCRBY', KEYS[1], 'spent', ARGV[2]) end
return 1`;

const SCRIPTS = { TAKE_REQUEST, ADMIT_TOKENS, ADD_TOKENS, HOLD, RELEASE };
type ScriptName = keyof typeof SCRIPTS;
const SHA1 = Object.fromEntries(
  Object.entries(SCRIPTS).map(([name, script]) => [name, createHash("sha1").update(script).digest("hex")]),
) as Record<ScriptName, string>;

/**
 * Limits shared by every replica through Redis: each check-and-count is one Lua script, atomic on
 * the server. Keys without a budget are counted in this process only (nothing to share). While
 * Redis is unreachable (the client reconnects by itself, with backoff), checks fail closed (503,
 * Retry-After) or open (this process's counters), with one log line when it is lost and one when
 * it is back.
 */
export async function createRedisLimits(options: RedisLimitsOptions): Promise<Limits> {
  const { local, failOpen, log, holdLeaseMs = 60 * 60_000 } = options;
  const shown = redactDatabaseUrl(options.url);
  const client = createClient({
    url: options.url,
    // A check must not wait for a reconnection: it fails at once, as configured.
    disableOfflineQueue: true,
    // 0: no per-command timer (its default is 5 s); the watchdog below keeps the deadline.
    commandOptions: { timeout: 0 },
    socket: {
      connectTimeout: COMMAND_TIMEOUT_MS,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 100),
    },
  });
  let up = false;
  let lost = false;
  const pending: { id: string; keys: string[]; cost: string }[] = [];
  const loss = (reason: string) => {
    up = false;
    if (lost) return;
    lost = true;
    const then = failOpen
      ? "each replica counts rpm and budgets on its own until it is back (redis.failOpen)"
      : "requests of keys with an rpm, a tpm or a budget get 503 until it is back";
    log(redactSecrets(`lost Redis at ${shown} (${reason}): ${then}`));
  };
  const instance = randomBytes(6).toString("hex");
  let sequence = 0;
  const nextId = () => `${instance}:${++sequence}`;

  const watchdog = createCommandWatchdog(COMMAND_TIMEOUT_MS, WATCHDOG_INTERVAL_MS);
  const send = (args: string[]) => watchdog.watch(client.sendCommand(args));
  const run = async (name: ScriptName, keys: string[], args: string[]): Promise<unknown> => {
    if (!up) throw new Error("not connected");
    try {
      return await send(["EVALSHA", SHA1[name], String(keys.length), ...keys, ...args]);
    } catch (error) {
      // The first call after Redis started afresh: it does not know the script yet.
      if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
      return send(["EVAL", SCRIPTS[name], String(keys.length), ...keys, ...args]);
    }
  };
  const unavailable = (error: unknown) =>
    new LlmuxError(
      "busy",
      "The gateway's shared limits (Redis) are unreachable, and this key has an rpm, a tpm or a budget to check",
      {
        cause: error,
        hint: `Try again in ${RETRY_AFTER_SECONDS} seconds`,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      },
    );
  let seeding: Promise<Map<string, number>> | undefined;
  const seed = () => {
    seeding ??= options.spend().finally(() => {
      seeding = undefined;
    });
    return seeding;
  };
  const release = async (item: { id: string; keys: string[]; cost: string }) => {
    try {
      await run("RELEASE", item.keys, [item.id, item.cost]);
    } catch {
      if (pending.length < MAX_PENDING_RELEASES) pending.push(item);
    }
  };
  const flushReleases = async () => {
    for (const item of pending.splice(0)) await release(item);
  };

  client.on("error", (error: Error) => loss(error.message || error.name));
  client.on("ready", () => {
    up = true;
    if (lost) log(`Redis at ${shown} is back: rpm limits and budgets are shared again`);
    lost = false;
    void flushReleases();
  });
  const connected = client.connect().catch((error: Error) => loss(error.message));
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, COMMAND_TIMEOUT_MS).unref())]);
  if (!up) loss("not reachable yet");

  return {
    async takeRequest(keyId, rpm) {
      try {
        return (await run("TAKE_REQUEST", [`llmux:rpm:{${keyId}}`], [String(rpm), nextId()])) === 1;
      } catch (error) {
        if (failOpen) return local.takeRequest(keyId, rpm);
        throw unavailable(error);
      }
    },
    async admitTokens(keyId, tpm) {
      try {
        const [admitted, seconds] = (await run("ADMIT_TOKENS", [`llmux:tpm:{${keyId}}`], [String(tpm)])) as [
          number,
          number,
        ];
        return { admitted: admitted === 1, retryAfterSeconds: seconds };
      } catch (error) {
        if (failOpen) return local.admitTokens(keyId, tpm);
        throw unavailable(error);
      }
    },
    addTokens(keyId, tokens) {
      if (!(tokens > 0)) return;
      // This process's view too, for failing open later.
      local.addTokens(keyId, tokens);
      run("ADD_TOKENS", [`llmux:tpm:{${keyId}}`], [String(Math.round(tokens))]).catch(() => undefined);
    },
    async hold(keyId, budgetUsd, amountUsd): Promise<BudgetHold> {
      if (budgetUsd === null) return local.hold(keyId, null, amountUsd);
      const keys = [`llmux:budget:{${keyId}}`, `llmux:holds:{${keyId}}`, `llmux:hold-amounts:{${keyId}}`];
      const id = nextId();
      const args = [nanos(budgetUsd), nanos(amountUsd), id, String(holdLeaseMs)];
      let answer: [number, string, string];
      try {
        answer = (await run("HOLD", keys, [...args, ""])) as typeof answer;
        if (answer[0] === -1) {
          // The usage log may be unreachable too: then this process's count (since it started).
          const spent = await seed().then(
            (spend) => spend.get(keyId) ?? 0,
            () => local.balance(keyId).spentUsd,
          );
          answer = (await run("HOLD", keys, [...args, nanos(spent)])) as typeof answer;
        }
      } catch (error) {
        if (failOpen) return local.hold(keyId, budgetUsd, amountUsd);
        throw unavailable(error);
      }
      if (answer[0] !== 1) {
        return { held: false, spentUsd: Number(answer[1]) / 1e9, heldUsd: Number(answer[2]) / 1e9 };
      }
      // This process's view too, for balance() and for failing open later.
      const mirror = await local.hold(keyId, null, amountUsd);
      return {
        held: true,
        release(costUsd) {
          if (mirror.held) mirror.release(costUsd);
          void release({ id, keys, cost: nanos(costUsd) });
        },
      };
    },
    balance: (keyId) => local.balance(keyId),
    async close() {
      await flushReleases();
      watchdog.close();
      client.destroy();
    },
  };
}

function nanos(usd: number): string {
  return String(Math.round(usd * 1e9));
}
