import assert from "node:assert/strict";
import { resolve } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { LlmuxError } from "../core/errors.ts";
import { LocalEngine } from "./local-engine.ts";

const MODEL = resolve("../shared/models/stories260K.gguf");
const engines: LocalEngine[] = [];
function engine(options: ConstructorParameters<typeof LocalEngine>[0] = {}): LocalEngine {
  const created = new LocalEngine({ threads: 1, ...options });
  engines.push(created);
  return created;
}
after(async () => {
  for (const created of engines) await created.dispose();
});

test("a model loads once however many calls use it", async () => {
  const local = engine();
  const leases = await Promise.all([
    local.useModel(MODEL),
    local.useModel(MODEL),
    local.acquireSequence(MODEL),
  ]);
  for (const lease of leases) lease.release();
  const again = await local.acquireSequence(MODEL);
  again.release();
  assert.equal(local.stats().loads, 1);
  assert.equal(local.stats().models.length, 1);
});

test("the context is the model's trained size unless capped", async () => {
  const full = engine();
  (await full.useModel(MODEL)).release();
  assert.equal(full.stats().models[0]?.contextSize, 2048);
  const capped = engine({ contextSize: 1024 });
  (await capped.useModel(MODEL)).release();
  assert.equal(capped.stats().models[0]?.contextSize, 1024);
});

test("calls beyond the parallel limit wait for a free sequence", async () => {
  const local = engine({ parallel: 1 });
  const first = await local.acquireSequence(MODEL);
  let secondGranted = false;
  const second = local.acquireSequence(MODEL).then((lease) => {
    secondGranted = true;
    return lease;
  });
  await sleep(20);
  assert.equal(secondGranted, false);
  assert.equal(local.stats().models[0]?.waiting, 1);
  first.release();
  const lease = await second;
  assert.equal(lease.sequence, first.sequence);
  lease.release();
  assert.equal(local.stats().models[0]?.busy, 0);
});

test("a waiting call can be aborted", async () => {
  const local = engine({ parallel: 1 });
  const first = await local.acquireSequence(MODEL);
  const controller = new AbortController();
  const waiting = local.acquireSequence(MODEL, controller.signal);
  await sleep(10);
  controller.abort();
  await assert.rejects(waiting, { name: "AbortError" });
  assert.equal(local.stats().models[0]?.waiting, 0);
  first.release();
  (await local.acquireSequence(MODEL)).release();
});

test("an idle model is unloaded and loads again when needed", async () => {
  const local = engine({ idleUnloadMs: 30 });
  (await local.useModel(MODEL)).release();
  assert.equal(local.stats().models.length, 1);
  await sleep(150);
  assert.equal(local.stats().models.length, 0);
  (await local.useModel(MODEL)).release();
  assert.equal(local.stats().loads, 2);
});

test("a missing model file is a clear error", async () => {
  await assert.rejects(
    engine().useModel("../shared/models/no-such-model.gguf"),
    (error: unknown) => error instanceof LlmuxError && error.kind === "model_file_missing",
  );
});
