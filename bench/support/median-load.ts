import type { Load } from "./measure-load.ts";
import { median } from "./median.ts";

/** One target's rounds in one row: the median requests/s, CPU per request (ms) and busy share. */
export function medianLoad(loads: readonly Load[]): { rps: number; cpu: number; busy: number } {
  return {
    rps: median(loads.map((r) => r.rps)),
    cpu: median(loads.map((r) => r.cpuPerRequestMs)),
    busy: median(loads.map((r) => r.busy)),
  };
}
