import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** A metadata value; plain JS values are typed by inference (integers → uint32, other numbers → float32). */
export type GgufWriterValue =
  | string
  | number
  | boolean
  | string[]
  | { type: "uint32" | "int32" | "float32" | "uint64"; value: number }
  | { type: "array"; elementType: "int32" | "float32"; value: number[] };

export interface WriteGgufOptions {
  architecture?: string;
  name?: string;
  /** Jinja chat template; ChatML by default, `null` writes none. */
  chatTemplate?: string | null;
  embeddingLength?: number;
  blockCount?: number;
  headCount?: number;
  feedForwardLength?: number;
  contextLength?: number;
  /** Seed of the random weights. */
  seed?: number;
  /** Metadata keys to leave out, e.g. `llama.block_count` (negative tests). */
  omitKeys?: string[];
  /** Extra metadata, or replacements for the generated keys. */
  metadata?: Record<string, GgufWriterValue>;
  /** The 4 magic bytes; "GGUF" unless a test wants a bad one. */
  magic?: string;
  version?: number;
  alignment?: number;
}

export interface WrittenGguf {
  path: string;
  size: number;
  sha256: string;
  /** Byte offset where tensor data starts (header end, aligned). */
  dataOffset: number;
  parameterCount: number;
  vocabularySize: number;
}

const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const MERGES = ["Ġ t", "h e", "i n", "Ġt he", "e r"];
const SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];
const TOKEN_TYPE_NORMAL = 1;
const TOKEN_TYPE_CONTROL = 3;

/**
 * Writes a tiny GGUF v3 model that llama.cpp loads and runs: llama architecture, f32 seeded
 * random weights, a GPT-2 byte-level BPE vocabulary with ChatML special tokens and a ChatML chat
 * template. Knobs break it on purpose for negative tests.
 */
export async function writeGguf(path: string, options: WriteGgufOptions = {}): Promise<WrittenGguf> {
  const arch = options.architecture ?? "llama";
  const embedding = options.embeddingLength ?? 64;
  const blocks = options.blockCount ?? 2;
  const heads = options.headCount ?? 4;
  const feedForward = options.feedForwardLength ?? 128;
  const alignment = options.alignment ?? 32;
  const tokens = [
    ...byteLevelAlphabet(),
    ...MERGES.map((merge) => merge.replace(" ", "")),
    ...SPECIAL_TOKENS,
  ];
  const tokenTypes = tokens.map((token) =>
    SPECIAL_TOKENS.includes(token) ? TOKEN_TYPE_CONTROL : TOKEN_TYPE_NORMAL,
  );
  const tokenId = (token: string) => tokens.indexOf(token);

  const metadata: Record<string, GgufWriterValue> = {
    "general.architecture": arch,
    "general.name": options.name ?? "tiny-test",
    "general.file_type": { type: "uint32", value: 0 },
    ...(alignment !== 32 ? { "general.alignment": { type: "uint32", value: alignment } } : {}),
    [`${arch}.context_length`]: options.contextLength ?? 512,
    [`${arch}.embedding_length`]: embedding,
    [`${arch}.block_count`]: blocks,
    [`${arch}.feed_forward_length`]: feedForward,
    [`${arch}.attention.head_count`]: heads,
    [`${arch}.attention.head_count_kv`]: heads,
    [`${arch}.rope.dimension_count`]: embedding / heads,
    [`${arch}.attention.layer_norm_rms_epsilon`]: { type: "float32", value: 1e-5 },
    "tokenizer.ggml.model": "gpt2",
    "tokenizer.ggml.pre": "default",
    "tokenizer.ggml.tokens": tokens,
    "tokenizer.ggml.token_type": { type: "array", elementType: "int32", value: tokenTypes },
    "tokenizer.ggml.merges": MERGES,
    "tokenizer.ggml.bos_token_id": tokenId("<|endoftext|>"),
    "tokenizer.ggml.eos_token_id": tokenId("<|im_end|>"),
    "tokenizer.ggml.padding_token_id": tokenId("<|endoftext|>"),
    "tokenizer.ggml.add_bos_token": false,
    ...(options.chatTemplate === null
      ? {}
      : { "tokenizer.chat_template": options.chatTemplate ?? CHATML_TEMPLATE }),
    ...options.metadata,
  };
  for (const key of options.omitKeys ?? []) delete metadata[key];

  const tensors: Array<{ name: string; shape: number[] }> = [
    { name: "token_embd.weight", shape: [embedding, tokens.length] },
    { name: "output_norm.weight", shape: [embedding] },
    { name: "output.weight", shape: [embedding, tokens.length] },
  ];
  for (let i = 0; i < blocks; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, shape: [embedding] },
      { name: `blk.${i}.attn_q.weight`, shape: [embedding, embedding] },
      { name: `blk.${i}.attn_k.weight`, shape: [embedding, embedding] },
      { name: `blk.${i}.attn_v.weight`, shape: [embedding, embedding] },
      { name: `blk.${i}.attn_output.weight`, shape: [embedding, embedding] },
      { name: `blk.${i}.ffn_norm.weight`, shape: [embedding] },
      { name: `blk.${i}.ffn_gate.weight`, shape: [embedding, feedForward] },
      { name: `blk.${i}.ffn_up.weight`, shape: [embedding, feedForward] },
      { name: `blk.${i}.ffn_down.weight`, shape: [feedForward, embedding] },
    );
  }

  const header = new Chunks();
  header.raw(Buffer.from(options.magic ?? "GGUF", "latin1"));
  header.u32(options.version ?? 3);
  header.u64(tensors.length);
  header.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    header.string(key);
    header.value(value);
  }
  const random = mulberry32(options.seed ?? 1);
  const data = new Chunks();
  let parameterCount = 0;
  for (const tensor of tensors) {
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    parameterCount += count;
    header.string(tensor.name);
    header.u32(tensor.shape.length);
    for (const dimension of tensor.shape) header.u64(dimension);
    header.u32(0); // GGML_TYPE_F32
    header.u64(data.length);
    const values = new Float32Array(count);
    // Norm weights of 1 keep activations in range; the rest is small noise.
    const isNorm = tensor.name.endsWith("norm.weight");
    for (let i = 0; i < count; i++) values[i] = isNorm ? 1 : (random() - 0.5) * 0.2;
    data.raw(Buffer.from(values.buffer));
    data.pad(alignment);
  }
  header.pad(alignment);
  const bytes = Buffer.concat([header.toBuffer(), data.toBuffer()]);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return {
    path,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    dataOffset: header.length,
    parameterCount,
    vocabularySize: tokens.length,
  };
}

/** GPT-2's byte-to-unicode table: one printable character per byte value. */
function byteLevelAlphabet(): string[] {
  const printable = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let shifted = 0;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable(b) ? b : 256 + shifted++));
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Chunks {
  private readonly parts: Buffer[] = [];
  length = 0;

  raw(buffer: Buffer): void {
    this.parts.push(buffer);
    this.length += buffer.length;
  }

  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.raw(buffer);
  }

  u64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.raw(buffer);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.raw(bytes);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }

  pad(alignment: number): void {
    const padding = (alignment - (this.length % alignment)) % alignment;
    if (padding > 0) this.raw(Buffer.alloc(padding));
  }

  value(value: GgufWriterValue): void {
    if (typeof value === "string") {
      this.u32(8);
      this.string(value);
    } else if (typeof value === "boolean") {
      this.u32(7);
      this.raw(Buffer.from([value ? 1 : 0]));
    } else if (typeof value === "number") {
      this.value(
        Number.isInteger(value) && value >= 0 ? { type: "uint32", value } : { type: "float32", value },
      );
    } else if (Array.isArray(value)) {
      this.u32(9);
      this.u32(8);
      this.u64(value.length);
      for (const item of value) this.string(item);
    } else if (value.type === "array") {
      this.u32(9);
      this.u32(value.elementType === "int32" ? 5 : 6);
      this.u64(value.value.length);
      for (const item of value.value) this.scalar(value.elementType, item);
    } else {
      this.u32({ uint32: 4, int32: 5, float32: 6, uint64: 10 }[value.type]);
      this.scalar(value.type, value.value);
    }
  }

  private scalar(type: "uint32" | "int32" | "float32" | "uint64", value: number): void {
    if (type === "uint64") {
      this.u64(value);
      return;
    }
    const buffer = Buffer.alloc(4);
    if (type === "uint32") buffer.writeUInt32LE(value);
    else if (type === "int32") buffer.writeInt32LE(value);
    else buffer.writeFloatLE(value);
    this.raw(buffer);
  }
}
