import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  ChatMLChatWrapper,
  getLlama,
  type Llama,
  LlamaChatSession,
  resolveChatWrapper,
} from "node-llama-cpp";
import { readGgufHeader } from "../../src/local/read-gguf-header.ts";
import { writeGguf } from "./write-gguf.ts";

let dir: string;
let llama: Llama;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "llmux-write-gguf-"));
  llama = await getLlama({ build: "never", gpu: false });
});
after(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

test("the written model loads in llama.cpp, tokenizes, generates and is detected as ChatML", async () => {
  const written = await writeGguf(join(dir, "tiny.gguf"));
  const model = await llama.loadModel({ modelPath: written.path });
  try {
    assert.equal(model.fileInfo.metadata.general.architecture, "llama");
    assert.equal(model.trainContextSize, 512);
    const tokens = model.tokenize("hello there");
    assert.ok(tokens.length > 0);
    assert.equal(model.detokenize(tokens), "hello there");
    assert.equal(model.tokenize(" the").length, 1, "the BPE merges apply");
    assert.equal(model.tokenize("<|im_start|>", true).length, 1, "<|im_start|> is one special token");
    assert.equal(model.tokens.eos, model.tokenize("<|im_end|>", true)[0]);
    assert.ok(resolveChatWrapper(model) instanceof ChatMLChatWrapper);

    const context = await model.createContext({ threads: 1, contextSize: 512 });
    try {
      const session = new LlamaChatSession({
        contextSequence: context.getSequence(),
        systemPrompt: "Be brief.",
      });
      assert.ok(session.chatWrapper instanceof ChatMLChatWrapper);
      const reply = await session.prompt("hi", { maxTokens: 4, temperature: 0 });
      assert.equal(typeof reply, "string");
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
});

test("the written header reads back with the facts it was written with", async () => {
  const written = await writeGguf(join(dir, "facts.gguf"), { contextLength: 1024, name: "facts" });
  const header = await readGgufHeader(written.path);
  assert.equal(header.architecture, "llama");
  assert.equal(header.name, "facts");
  assert.equal(header.contextLength, 1024);
  assert.equal(header.parameterCount, written.parameterCount);
  assert.equal(header.fileSize, written.size);
  assert.equal(header.dataOffset, written.dataOffset);
  assert.equal(header.quantization, "F32");
  assert.match(header.chatTemplate ?? "", /<\|im_start\|>/);
});

test("a custom chat template is written as given", async () => {
  const template = "{% for m in messages %}{{ m.content }}{% endfor %}{% if tools %}tools{% endif %}";
  const written = await writeGguf(join(dir, "template.gguf"), { chatTemplate: template });
  assert.equal((await readGgufHeader(written.path)).chatTemplate, template);
  const none = await writeGguf(join(dir, "none.gguf"), { chatTemplate: null });
  assert.equal((await readGgufHeader(none.path)).chatTemplate, undefined);
});
