import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseDeployment } from "./choose-deployment.ts";
import { DeploymentHealth } from "./deployment-health.ts";
import { hashString } from "./hash-string.ts";

const policy = { ejectAfterFailures: 1, cooldownMs: 1000, maxCooldownMs: 5000 };
const NOW = 1_000_000;

function pool(weights = [1, 1, 1], maxConcurrent = Number.POSITIVE_INFINITY): DeploymentHealth[] {
  return weights.map((w, i) => new DeploymentHealth(`up${i}:m`, w, maxConcurrent, policy, () => {}));
}

const choose = (
  deployments: DeploymentHealth[],
  options: Partial<Parameters<typeof chooseDeployment>[1]> = {},
) =>
  chooseDeployment(deployments, {
    strategy: "least-outstanding",
    stickyHash: undefined,
    tried: undefined,
    start: 0,
    now: NOW,
    ...options,
  });

test("least outstanding: the fewest requests in flight per weight; equal ones take turns", () => {
  const [a, b, c] = pool([1, 1, 2]) as [DeploymentHealth, DeploymentHealth, DeploymentHealth];
  a.inFlight = 2;
  b.inFlight = 1;
  c.inFlight = 3; // 4/2 = 2 > 2/1 of b
  assert.equal(choose([a, b, c]), b);
  const equal = pool();
  assert.deepEqual(
    [0, 1, 2, 3].map((start) => choose(equal, { start })?.model),
    ["up0:m", "up1:m", "up2:m", "up0:m"],
  );
});

test("skips ejected, full and tried deployments; none left is undefined", () => {
  const deployments = pool([1, 1, 1], 2);
  const [a, b, c] = deployments as [DeploymentHealth, DeploymentHealth, DeploymentHealth];
  a.ejectedUntil = NOW + 10;
  b.inFlight = 2;
  assert.equal(choose(deployments), c);
  assert.equal(choose(deployments, { tried: new Set([c]) }), undefined);
});

test("every deployment ejected: the first attempt goes to the one whose cool-down ends first", () => {
  const deployments = pool();
  deployments.forEach((d, i) => {
    d.ejectedUntil = NOW + [300, 100, 200][i]!;
  });
  assert.equal(choose(deployments), deployments[1]);
  // A retry does not go back to an ejected one.
  assert.equal(choose(deployments, { tried: new Set([deployments[1]!]) }), undefined);
});

test("lowest latency: the lowest latency times the queue; an unmeasured one is measured first", () => {
  const [a, b, c] = pool() as [DeploymentHealth, DeploymentHealth, DeploymentHealth];
  for (const [d, ms] of [
    [a, 30],
    [b, 2],
    [c, 2],
  ] as const) {
    d.start();
    d.succeed(ms, NOW);
  }
  b.inFlight = 5; // 2 * 6 = 12 < 30
  c.inFlight = 20; // 2 * 21 = 42 > 30
  assert.equal(choose([a, b, c], { strategy: "lowest-latency" }), b);
  const fresh = new DeploymentHealth("up3:m", 1, Number.POSITIVE_INFINITY, policy, () => {});
  assert.equal(choose([a, b, c, fresh], { strategy: "lowest-latency" }), fresh);
});

test("sticky: a key keeps its deployment; removing one moves only the keys it had, weights are honoured", () => {
  const deployments = pool([1, 1, 2]);
  const keys = Array.from({ length: 2000 }, (_, i) => hashString(`user-${i}`));
  const before = keys.map((stickyHash) => choose(deployments, { stickyHash, start: stickyHash % 3 }));
  const share = (d: DeploymentHealth) => before.filter((chosen) => chosen === d).length / keys.length;
  assert.ok(Math.abs(share(deployments[2]!) - 0.5) < 0.05, `weight 2 got ${share(deployments[2]!)}`);
  assert.ok(Math.abs(share(deployments[0]!) - 0.25) < 0.05, `weight 1 got ${share(deployments[0]!)}`);
  deployments[0]!.ejectedUntil = NOW + 1;
  const after = keys.map((stickyHash) => choose(deployments, { stickyHash }));
  keys.forEach((_, i) => {
    if (before[i] !== deployments[0]) assert.equal(after[i], before[i], "a key moved that did not have to");
    else assert.notEqual(after[i], deployments[0]);
  });
});

test("weighted random: in proportion to the weights", () => {
  const deployments = pool([1, 3]);
  let heavy = 0;
  for (let i = 0; i < 4000; i++)
    if (choose(deployments, { strategy: "weighted-random" }) === deployments[1]) heavy++;
  assert.ok(heavy > 2800 && heavy < 3200, `weight 3 of 4 got ${heavy} of 4000`);
});
