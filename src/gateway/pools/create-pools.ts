import { LlmuxError } from "../../core/errors.ts";
import type { LlmuxConfig, PoolSettings } from "../../core/load-config.ts";
import type { ProviderRegistry } from "../../providers/provider-registry.ts";
import { redisUrl } from "../server/redis-url.ts";
import { checkDeploymentHealth } from "./check-deployment-health.ts";
import { chooseDeployment } from "./choose-deployment.ts";
import { DeploymentHealth } from "./deployment-health.ts";
import { hashString } from "./hash-string.ts";
import { type HealthCheckTarget, healthCheckTarget } from "./health-check-target.ts";
import { type EjectionSharing, shareEjections } from "./share-ejections.ts";

const DEFAULT_HEALTH_CHECK = { intervalMs: 10_000, timeoutMs: 2000 };

/** Several deployments answering under one model name. */
export interface Pool {
  readonly name: string;
  readonly settings: PoolSettings;
  readonly deployments: readonly DeploymentHealth[];
  /**
   * The deployment for the next attempt of a request (see chooseDeployment); undefined when every
   * one was tried or is at its maxConcurrent. `sticky` holds the request's user id and session.
   */
  choose(
    sticky: { stickyUser: string | undefined; stickySession: string | undefined },
    tried: ReadonlySet<DeploymentHealth> | undefined,
  ): DeploymentHealth | undefined;
}

/** How /healthz?verbose and `llmux pools` show one deployment. */
export interface DeploymentReport {
  model: string;
  healthy: boolean;
  inFlight: number;
  /** ISO time its cool-down ends; null while it is in the pool. */
  ejectedUntil: string | null;
  consecutiveFailures: number;
  /** Recent time to first byte, rounded; null before any answer (or long ago). */
  latencyMs: number | null;
  requests: number;
  failures: number;
}

export interface Pools {
  /** The pool a model name names; undefined for other names. */
  get(name: string): Pool | undefined;
  /** The names of the pools with a deployment in now, for the model listings. */
  available(): string[];
  /** Every pool's deployments as this replica sees them now. */
  report(): Record<string, { strategy: PoolSettings["strategy"]; deployments: DeploymentReport[] }>;
  /** Stops the health checks and the Redis refresh. */
  close(): Promise<void>;
}

/**
 * The gateway's pools (`gateway.pools`): each deployment's model reference checked now (a config
 * error naming the setting), in-flight counts and latencies kept per replica, ejections shared
 * through Redis when one is configured, and active health checks run off the request path:
 * by default for self-hosted servers (endpoints, Ollama), for every deployment with a URL when
 * the pool sets `healthCheck`, for none with `healthCheck: false`.
 */
export function createPools(
  config: LlmuxConfig,
  registry: ProviderRegistry,
  log: (line: string) => void,
): Pools {
  const pools = new Map<string, Pool>();
  const checks: {
    deployment: DeploymentHealth;
    target: HealthCheckTarget;
    timeoutMs: number;
    intervalMs: number;
  }[] = [];
  let sharing: EjectionSharing | undefined;
  for (const [name, settings] of Object.entries(config.file.gateway.pools)) {
    const deployments = settings.deployments.map((spec, index) => {
      const setting = `gateway.pools.${name}.deployments.${index}.model`;
      const colon = spec.model.indexOf(":");
      if (!registry.providers.has(spec.model.slice(0, colon).toLowerCase())) {
        throw new LlmuxError(
          "config",
          `Config file ${config.configPath}: ${setting}: "${spec.model.slice(0, colon)}" is not a provider or endpoint`,
          { hint: "Write provider:model with a built-in provider or an endpoint declared under endpoints" },
        );
      }
      const resolved = registry.resolve(spec.model);
      if (
        settings.deployments
          .slice(0, index)
          .some((earlier) => registry.resolve(earlier.model).reference === resolved.reference)
      ) {
        throw new LlmuxError(
          "config",
          `Config file ${config.configPath}: ${setting}: ${resolved.reference} is in the pool twice`,
          {
            hint: "List each deployment once; give it a larger weight to send it more",
          },
        );
      }
      const deployment = new DeploymentHealth(
        resolved.reference,
        spec.weight,
        spec.maxConcurrent ?? Number.POSITIVE_INFINITY,
        settings,
        (changed) => sharing?.publish(name, changed),
      );
      const checked =
        settings.healthCheck === undefined
          ? resolved.definition.category === "server"
          : settings.healthCheck !== false;
      const target = checked ? healthCheckTarget(resolved, config) : undefined;
      if (target)
        checks.push({ deployment, target, ...DEFAULT_HEALTH_CHECK, ...(settings.healthCheck || {}) });
      return deployment;
    });
    let turn = 0;
    pools.set(name, {
      name,
      settings,
      deployments,
      choose(sticky, tried) {
        const key =
          settings.sticky === "user"
            ? (sticky.stickyUser ?? sticky.stickySession)
            : settings.sticky === "conversation"
              ? (sticky.stickySession ?? sticky.stickyUser)
              : undefined;
        turn = (turn + 1) % deployments.length;
        return chooseDeployment(deployments, {
          strategy: settings.strategy,
          stickyHash: key === undefined ? undefined : hashString(key),
          tried,
          start: turn,
          now: Date.now(),
        });
      },
    });
  }
  const url = redisUrl(config);
  if (url && pools.size > 0) {
    sharing = shareEjections(url, new Map([...pools].map(([name, pool]) => [name, pool.deployments])), log);
  }

  // One check of each deployment at a time; a pass brings an ejected one back, a failure ejects.
  const timers = checks.map((check) => {
    let running = false;
    const run = async () => {
      if (running) return;
      running = true;
      const healthy = await checkDeploymentHealth(check.target, check.timeoutMs);
      running = false;
      const { deployment } = check;
      const now = Date.now();
      if (healthy && deployment.isEjected(now)) deployment.restore();
      else if (!healthy && !deployment.isEjected(now)) deployment.eject(now);
    };
    setImmediate(() => void run()).unref();
    return setInterval(() => void run(), check.intervalMs).unref();
  });

  return {
    get: (name) => pools.get(name),
    available() {
      const now = Date.now();
      return [...pools.values()]
        .filter((p) => p.deployments.some((d) => !d.isEjected(now)))
        .map((p) => p.name);
    },
    report() {
      const now = Date.now();
      const out: ReturnType<Pools["report"]> = {};
      for (const [name, pool] of pools) {
        out[name] = {
          strategy: pool.settings.strategy,
          deployments: pool.deployments.map((d) => {
            const latency = d.recentLatency(now);
            return {
              model: d.model,
              healthy: !d.isEjected(now),
              inFlight: d.inFlight,
              ejectedUntil: d.isEjected(now) ? new Date(d.ejectedUntil).toISOString() : null,
              consecutiveFailures: d.consecutiveFailures,
              latencyMs: latency === 0 ? null : Math.round(latency * 10) / 10,
              requests: d.requests,
              failures: d.failures,
            };
          }),
        };
      }
      return out;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      await sharing?.close();
    },
  };
}
