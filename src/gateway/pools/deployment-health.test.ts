import assert from "node:assert/strict";
import { test } from "node:test";
import { DeploymentHealth } from "./deployment-health.ts";

const policy = { ejectAfterFailures: 3, cooldownMs: 1000, maxCooldownMs: 5000 };

function deployment(onChange: (d: DeploymentHealth) => void = () => {}) {
  return new DeploymentHealth("up0:m", 1, Number.POSITIVE_INFINITY, policy, onChange);
}

/** One attempt that fails at `now`. */
function failOnce(d: DeploymentHealth, now: number, counts = true) {
  d.start();
  d.fail(counts, now);
}

test("ejected after its failures in a row, each ejection in a row twice as long up to the cap", () => {
  const changes: number[] = [];
  const d = deployment((changed) => changes.push(changed.ejectedUntil));
  failOnce(d, 0);
  failOnce(d, 0);
  assert.equal(d.isEjected(1), false);
  failOnce(d, 0);
  assert.equal(d.ejectedUntil, 1000);
  assert.equal(d.isEjected(999), true);
  assert.equal(d.isEjected(1000), false);
  // After the cool-down, one more failure is enough: 2 s, then 4 s, then the 5 s cap.
  failOnce(d, 1000);
  assert.equal(d.ejectedUntil, 3000);
  failOnce(d, 3000);
  assert.equal(d.ejectedUntil, 7000);
  failOnce(d, 7000);
  assert.equal(d.ejectedUntil, 12_000);
  assert.deepEqual(changes, [1000, 3000, 7000, 12_000]);
  assert.equal(d.failures, 6);
  assert.equal(d.inFlight, 0);
});

test("a success resets failures in a row and the cool-down; failures that are the request's own never eject", () => {
  const d = deployment();
  failOnce(d, 0);
  failOnce(d, 0);
  d.start();
  d.succeed(20, 0);
  failOnce(d, 0);
  failOnce(d, 0);
  assert.equal(d.isEjected(1), false);
  for (let i = 0; i < 10; i++) failOnce(d, 0, false);
  assert.equal(d.isEjected(1), false);
  failOnce(d, 0);
  assert.equal(d.ejectedUntil, 1000, "the first ejection since the success: the base cool-down");
  d.start();
  d.succeed(20, 2000);
  assert.equal(d.ejectedUntil, 0);
  assert.equal(d.consecutiveFailures, 0);
});

test("latency: recent answers weigh most, and a latency not refreshed for 10 s is unknown", () => {
  const d = deployment();
  d.start();
  d.succeed(100, 1000);
  assert.equal(d.recentLatency(1000), 100);
  // Five seconds later a sample counts half.
  d.start();
  d.succeed(20, 6000);
  assert.equal(d.recentLatency(6000), 60);
  assert.equal(d.recentLatency(16_001), 0);
});

test("brought back by a health check, it is on probation: the next failure ejects it again, for longer", () => {
  const d = deployment();
  for (let i = 0; i < 3; i++) failOnce(d, 0);
  assert.equal(d.ejectedUntil, 1000);
  d.restore();
  assert.equal(d.isEjected(1), false);
  failOnce(d, 10);
  assert.equal(d.ejectedUntil, 2010);
});
