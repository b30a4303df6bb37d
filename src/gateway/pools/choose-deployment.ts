import type { PoolSettings } from "../../core/load-config.ts";
import type { DeploymentHealth } from "./deployment-health.ts";

interface ChoiceOptions {
  strategy: PoolSettings["strategy"];
  /** hashString of the request's sticky key (user or conversation); undefined when not sticky. */
  stickyHash: number | undefined;
  /** Deployments this request already failed on. */
  tried: ReadonlySet<DeploymentHealth> | undefined;
  /** Where ties start: rotated per request, so equal deployments take turns. */
  start: number;
  now: number;
}

/**
 * The deployment for one attempt: among those not ejected, not tried yet and below their
 * maxConcurrent, the one the sticky key hashes to (rendezvous hashing: removing a deployment moves
 * only its own keys), else by the strategy. When every deployment is ejected, the first attempt
 * goes to the one whose cool-down ends first rather than failing outright. Undefined when none
 * is left (all tried, or all at their maxConcurrent).
 */
export function chooseDeployment(
  deployments: readonly DeploymentHealth[],
  options: ChoiceOptions,
): DeploymentHealth | undefined {
  const { strategy, stickyHash, tried, start, now } = options;
  const count = deployments.length;
  let best: DeploymentHealth | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  let totalWeight = 0;
  for (let i = 0; i < count; i++) {
    const deployment = deployments[(start + i) % count]!;
    if (tried?.has(deployment) || !deployment.hasRoom() || deployment.isEjected(now)) continue;
    let score: number;
    if (stickyHash !== undefined) {
      // Weighted rendezvous (highest weight / -ln(u) wins), u a uniform hash of key and deployment.
      const u = (mix(stickyHash ^ deployment.seed) + 0.5) / 4294967296;
      score = -Math.log(u) / deployment.weight;
    } else if (strategy === "weighted-random") {
      totalWeight += deployment.weight;
      continue;
    } else if (strategy === "lowest-latency") {
      // Expected wait: recent latency times the queue it would join (unknown latency: measure it first).
      score = (deployment.recentLatency(now) * (deployment.inFlight + 1)) / deployment.weight;
    } else {
      score = (deployment.inFlight + 1) / deployment.weight;
    }
    if (score < bestScore) {
      best = deployment;
      bestScore = score;
    }
  }
  if (stickyHash === undefined && strategy === "weighted-random" && totalWeight > 0) {
    let left = Math.random() * totalWeight;
    for (const deployment of deployments) {
      if (tried?.has(deployment) || !deployment.hasRoom() || deployment.isEjected(now)) continue;
      best = deployment;
      left -= deployment.weight;
      if (left < 0) break;
    }
  }
  if (best || tried?.size) return best;
  // All ejected (or full): the cool-down that ends first.
  for (const deployment of deployments) {
    if (deployment.hasRoom() && (!best || deployment.ejectedUntil < best.ejectedUntil)) best = deployment;
  }
  return best;
}

// murmur3's finaliser: spreads the bits of key ^ seed over the whole 32 bits.
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
