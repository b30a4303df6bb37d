import { hashString } from "./hash-string.ts";

/** How a pool ejects a deployment that keeps failing, and for how long. */
export interface EjectionPolicy {
  /** Consecutive failures (retryable errors, timeouts) that eject. */
  ejectAfterFailures: number;
  /** The first cool-down; each ejection in a row doubles it, up to maxCooldownMs. */
  cooldownMs: number;
  maxCooldownMs: number;
}

// A latency sample counts half after this long: recent answers say more than old ones.
const LATENCY_HALF_LIFE_MS = 5000;
// A latency older than this is not trusted any more: the deployment gets a request to measure it again.
const LATENCY_STALE_MS = 10_000;

/**
 * One deployment of a pool as this gateway sees it: requests in flight, recent latency, failures
 * in a row and the ejection they led to. Times are wall-clock (Date.now()), so that an ejection
 * can be shared with other replicas through Redis.
 */
export class DeploymentHealth {
  inFlight = 0;
  requests = 0;
  failures = 0;
  consecutiveFailures = 0;
  /** Ejections since the last success: the next cool-down is cooldownMs * 2^(ejections-1). */
  ejections = 0;
  /** Date.now() until which it gets no traffic; 0 when it is in. */
  ejectedUntil = 0;
  /** The ejection came from another replica (Redis): lifted when that replica lifts it. */
  adopted = false;
  /** Time to first byte, a moving average weighted by age; 0 before any answer. */
  latencyMs = 0;
  private latencyAt = 0;
  /** For the rendezvous hash (sticky keys): fixed per model reference. */
  readonly seed: number;

  constructor(
    /** The model reference, provider:model. */
    readonly model: string,
    readonly weight: number,
    readonly maxConcurrent: number,
    private readonly policy: EjectionPolicy,
    /** Told of each ejection this gateway decides (to share it), and each lift. */
    private readonly onChange: (deployment: DeploymentHealth) => void,
  ) {
    this.seed = hashString(model);
  }

  isEjected(now: number): boolean {
    return this.ejectedUntil > now;
  }

  hasRoom(): boolean {
    return this.inFlight < this.maxConcurrent;
  }

  /** The recent latency, or 0 when unknown or stale (then it is worth measuring again). */
  recentLatency(now: number): number {
    return now - this.latencyAt > LATENCY_STALE_MS ? 0 : this.latencyMs;
  }

  start(): void {
    this.inFlight++;
    this.requests++;
  }

  /** An answer began after `latencyMs`: failures in a row and their cool-down start over. */
  succeed(latencyMs: number, now: number): void {
    this.inFlight--;
    const weight = this.latencyAt === 0 ? 0 : 0.5 ** ((now - this.latencyAt) / LATENCY_HALF_LIFE_MS);
    this.latencyMs = this.latencyMs * weight + latencyMs * (1 - weight);
    this.latencyAt = now;
    this.consecutiveFailures = 0;
    this.ejections = 0;
    if (this.ejectedUntil !== 0) this.restore();
  }

  /** `counts`: a failure that says the deployment is unwell (not the request's own fault). */
  fail(counts: boolean, now: number): void {
    this.inFlight--;
    this.failures++;
    if (!counts) return;
    // Failures in a row stay counted after a cool-down: the first failure after it ejects again, longer.
    if (++this.consecutiveFailures >= this.policy.ejectAfterFailures) this.eject(now);
  }

  /** Takes it out of the pool for the next cool-down. */
  eject(now: number): void {
    this.ejections++;
    const { cooldownMs, maxCooldownMs } = this.policy;
    this.ejectedUntil = now + Math.min(maxCooldownMs, cooldownMs * 2 ** (this.ejections - 1));
    this.adopted = false;
    this.onChange(this);
  }

  /**
   * Back in the pool now (a success, a passing health check). Failures in a row stay counted, so
   * after a passing check the first failure ejects it again, for twice as long: a server that
   * answers its health check but fails requests costs one attempt per check, not ejectAfterFailures.
   */
  restore(): void {
    this.ejectedUntil = 0;
    this.adopted = false;
    this.onChange(this);
  }
}
