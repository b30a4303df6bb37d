import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());

export interface Load {
  rps: number;
  /** The process's CPU (user + system, from /proc) per request answered, in ms. */
  cpuPerRequestMs: number;
  /** The share of its CPU the process used: below ~0.9 the load side, not the process, was the limit. */
  busy: number;
  /** wrk's report (with --latency: its percentiles). */
  report: string;
}

/**
 * wrk against `url` (POSTing as its Lua `script` says) while the process `pid` (the gateway under
 * test) is measured. Throws when any answer was not a 2xx. wrk runs beside the caller's event
 * loop: upstreams answering in the caller go on answering.
 */
export async function measureLoad(options: {
  name: string;
  pid: number;
  url: string;
  script: string;
  connections: number;
  duration: number;
  threads?: number;
  latency?: boolean;
}): Promise<Load> {
  const before = cpuMs(options.pid);
  const startedAt = performance.now();
  const { stdout: report } = await promisify(execFile)("wrk", [
    `-t${options.threads ?? 2}`,
    `-c${options.connections}`,
    `-d${options.duration}s`,
    ...(options.latency ? ["--latency"] : []),
    "-s",
    options.script,
    options.url,
  ]);
  const cpu = cpuMs(options.pid) - before;
  const wallMs = performance.now() - startedAt;
  if (/Non-2xx/.test(report)) throw new Error(`${options.name}: some answers were not 2xx\n${report}`);
  const requests = Number(/(\d+) requests in/.exec(report)![1]);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(report)![1]),
    cpuPerRequestMs: cpu / requests,
    busy: cpu / wallMs,
    report,
  };
}

/** A process's user + system CPU so far, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
