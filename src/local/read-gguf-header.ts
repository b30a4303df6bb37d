import { type FileHandle, open } from "node:fs/promises";
import { LlmuxError } from "../core/errors.ts";
import { SUPPORTED_ARCHITECTURES } from "./supported-architectures.ts";

/** A metadata array too long to be worth keeping (token lists, merges, scores): only its shape. */
interface GgufArraySummary {
  type: "array";
  elementType: string;
  length: number;
}

type GgufValue = string | number | boolean | GgufArraySummary | GgufValue[];

export interface GgufHeader {
  version: number;
  tensorCount: number;
  /** Every key/value pair; arrays longer than 64 items are replaced by a summary. */
  metadata: Record<string, GgufValue>;
  architecture: string;
  name?: string;
  contextLength?: number;
  chatTemplate?: string;
  /** Like `Q4_K_M`, from `general.file_type`, else the tensor type holding the most bytes. */
  quantization: string;
  /** Sum of the element counts of all tensors. */
  parameterCount: number;
  fileSize: number;
  /** `general.size_label` (like `1B`), else derived from the parameter count. */
  sizeLabel: string;
  /** Where tensor data starts (header size, aligned). */
  dataOffset: number;
}

const MAGIC = "GGUF";
const KEPT_ARRAY_LENGTH = 64;
const CHUNK_BYTES = 256 * 1024;

// GGUF metadata value types, by id: name and fixed byte size (0 = variable: string, array).
const VALUE_TYPES: ReadonlyArray<readonly [string, number]> = [
  ["uint8", 1],
  ["int8", 1],
  ["uint16", 2],
  ["int16", 2],
  ["uint32", 4],
  ["int32", 4],
  ["float32", 4],
  ["bool", 1],
  ["string", 0],
  ["array", 0],
  ["uint64", 8],
  ["int64", 8],
  ["float64", 8],
];

// ggml tensor types by id: name, elements per block, bytes per block (ggml.c `type_traits`,
// sizes of the block structs in ggml-common.h of the bundled llama.cpp).
const GGML_TYPES: Readonly<Record<number, readonly [string, number, number]>> = {
  0: ["F32", 1, 4],
  1: ["F16", 1, 2],
  2: ["Q4_0", 32, 18],
  3: ["Q4_1", 32, 20],
  6: ["Q5_0", 32, 22],
  7: ["Q5_1", 32, 24],
  8: ["Q8_0", 32, 34],
  9: ["Q8_1", 32, 36],
  10: ["Q2_K", 256, 84],
  11: ["Q3_K", 256, 110],
  12: ["Q4_K", 256, 144],
  13: ["Q5_K", 256, 176],
  14: ["Q6_K", 256, 210],
  15: ["Q8_K", 256, 292],
  16: ["IQ2_XXS", 256, 66],
  17: ["IQ2_XS", 256, 74],
  18: ["IQ3_XXS", 256, 98],
  19: ["IQ1_S", 256, 50],
  20: ["IQ4_NL", 32, 18],
  21: ["IQ3_S", 256, 110],
  22: ["IQ2_S", 256, 82],
  23: ["IQ4_XS", 256, 136],
  24: ["I8", 1, 1],
  25: ["I16", 1, 2],
  26: ["I32", 1, 4],
  27: ["I64", 1, 8],
  28: ["F64", 1, 8],
  29: ["IQ1_M", 256, 56],
  30: ["BF16", 1, 2],
  34: ["TQ1_0", 256, 54],
  35: ["TQ2_0", 256, 66],
  39: ["MXFP4", 32, 17],
  40: ["NVFP4", 64, 36],
  41: ["Q1_0", 128, 18],
  42: ["Q2_0", 64, 18],
};

// `enum llama_ftype` in llama.h, by value (the `MOSTLY_` prefix dropped).
const FILE_TYPES = [
  "F32",
  "F16",
  "Q4_0",
  "Q4_1",
  "Q4_1_SOME_F16",
  "Q4_2",
  "Q4_3",
  "Q8_0",
  "Q5_0",
  "Q5_1",
  "Q2_K",
  "Q3_K_S",
  "Q3_K_M",
  "Q3_K_L",
  "Q4_K_S",
  "Q4_K_M",
  "Q5_K_S",
  "Q5_K_M",
  "Q6_K",
  "IQ2_XXS",
  "IQ2_XS",
  "Q2_K_S",
  "IQ3_XS",
  "IQ3_XXS",
  "IQ1_S",
  "IQ4_NL",
  "IQ3_S",
  "IQ3_M",
  "IQ2_S",
  "IQ2_M",
  "IQ4_XS",
  "IQ1_M",
  "BF16",
  "Q4_0_4_4",
  "Q4_0_4_8",
  "Q4_0_8_8",
  "TQ1_0",
  "TQ2_0",
  "MXFP4_MOE",
  "NVFP4",
  "Q1_0",
  "Q2_0",
];
// llama.cpp ORs this into general.file_type when it had to guess it.
const FILE_TYPE_GUESSED = 1024;

// Keys llama.cpp reads without a default for every architecture (llama-model.cpp load_hparams).
const REQUIRED_KEYS = ["context_length", "embedding_length", "block_count"];
// Attention models also need these: without them llama.cpp divides by a zero head count.
const ATTENTION_KEYS = ["feed_forward_length", "attention.head_count"];
const ATTENTION_ARCHITECTURES = new Set([
  "llama",
  "llama4",
  "mistral3",
  "qwen",
  "qwen2",
  "qwen2moe",
  "qwen3",
  "qwen3moe",
  "gemma",
  "gemma2",
  "gemma3",
  "phi2",
  "phi3",
  "phimoe",
  "deepseek",
  "deepseek2",
  "gpt2",
  "granite",
  "smollm3",
  "olmo",
  "olmo2",
  "starcoder2",
  "stablelm",
  "internlm2",
  "command-r",
  "cohere2",
]);

/**
 * Reads and checks the header of a GGUF file (metadata and tensor infos; never the tensor data),
 * so a bad file is refused with a clear error before llama.cpp sees it: llama.cpp aborts the
 * whole process on some malformed files. Not node-llama-cpp's readGgufFileInfo: past the end of a
 * file it reads zeros, so it loops on an absurd count, and on Node 20 a string length over 2 GiB
 * aborts the process (fs read's length must be an int32); it is also slower, and importing
 * node-llama-cpp at all adds ~0.5 s to `llmux models` and `llmux pull`.
 */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new LlmuxError("model_file_missing", `Model file ${path} does not exist`, {
        hint: "Check the path, or list installed models with `llmux models --local`",
        cause: error,
      });
    }
    throw new LlmuxError("model_file_missing", `Cannot open model file ${path}: ${code ?? error}`, {
      cause: error,
    });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notGguf(path, "it is not a regular file");
    return await parse(new Reader(handle, stats.size, path), path);
  } finally {
    await handle.close();
  }
}

async function parse(reader: Reader, path: string): Promise<GgufHeader> {
  if (reader.fileSize < 4 || (await reader.ascii(4)) !== MAGIC) throw notGguf(path);
  const version = await reader.u32();
  if (version !== 2 && version !== 3) {
    throw corrupt(`${path} uses GGUF version ${version}, which llama.cpp cannot read`, {
      hint: "Download a GGUF v3 file of this model",
    });
  }
  const tensorCount = await reader.u64();
  const kvCount = await reader.u64();
  const metadata: Record<string, GgufValue> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = await reader.string();
    metadata[key] = await reader.value(await reader.u32());
  }

  const alignment = metadata["general.alignment"] ?? 32;
  if (typeof alignment !== "number" || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw corrupt(`${path} has an invalid general.alignment (${String(alignment)})`);
  }

  let parameterCount = 0;
  let dataBytes = 0;
  const bytesByType = new Map<string, number>();
  for (let i = 0; i < tensorCount; i++) {
    const name = await reader.string();
    const dimensionCount = await reader.u32();
    if (dimensionCount > 4) throw corrupt(`${path}: tensor ${name} has ${dimensionCount} dimensions`);
    let elements = 1;
    let firstDimension = 1;
    for (let d = 0; d < dimensionCount; d++) {
      const size = await reader.u64();
      if (d === 0) firstDimension = size;
      elements *= size;
    }
    const typeId = await reader.u32();
    const offset = await reader.u64();
    const type = GGML_TYPES[typeId];
    if (!type) throw corrupt(`${path}: tensor ${name} has an unknown type (${typeId})`);
    const [typeName, blockSize, blockBytes] = type;
    if (firstDimension % blockSize !== 0 || offset % alignment !== 0) {
      throw corrupt(`${path}: tensor ${name} has an invalid shape or offset`);
    }
    const bytes = (elements / blockSize) * blockBytes;
    parameterCount += elements;
    dataBytes = Math.max(dataBytes, offset + bytes);
    bytesByType.set(typeName, (bytesByType.get(typeName) ?? 0) + bytes);
  }
  const dataOffset = Math.ceil(reader.position / alignment) * alignment;

  const architecture = metadata["general.architecture"];
  if (typeof architecture !== "string") throw corrupt(`${path} has no general.architecture key`);
  if (!SUPPORTED_ARCHITECTURES.has(architecture)) {
    throw new LlmuxError(
      "unsupported_architecture",
      `${path} is a "${architecture}" model, which the bundled llama.cpp cannot run`,
      {
        hint: "Use a model of a supported family (llama, qwen2, qwen3, gemma3, phi3, mistral3, deepseek2...)",
      },
    );
  }
  const requiredKeys = ATTENTION_ARCHITECTURES.has(architecture)
    ? [...REQUIRED_KEYS, ...ATTENTION_KEYS]
    : REQUIRED_KEYS;
  for (const suffix of requiredKeys) {
    const key = `${architecture}.${suffix}`;
    const value = metadata[key];
    if (value === undefined) throw corrupt(`${path} lacks the metadata key ${key}`);
    if (!(typeof value === "number" && value > 0) && !Array.isArray(value)) {
      throw corrupt(`${path} has an invalid ${key} (${JSON.stringify(value)})`);
    }
  }

  const expectedSize = dataOffset + dataBytes;
  if (reader.fileSize < expectedSize) {
    throw corrupt(`${path} is truncated: it has ${reader.fileSize} bytes, its tensors need ${expectedSize}`);
  }

  const name = metadata["general.name"];
  const contextLength = metadata[`${architecture}.context_length`];
  const chatTemplate = metadata["tokenizer.chat_template"];
  const sizeLabel = metadata["general.size_label"];
  return {
    version,
    tensorCount,
    metadata,
    architecture,
    ...(typeof name === "string" ? { name } : {}),
    ...(typeof contextLength === "number" ? { contextLength } : {}),
    ...(typeof chatTemplate === "string" ? { chatTemplate } : {}),
    quantization: quantizationName(metadata["general.file_type"], bytesByType),
    parameterCount,
    fileSize: reader.fileSize,
    sizeLabel: typeof sizeLabel === "string" ? sizeLabel : formatCount(parameterCount),
    dataOffset,
  };
}

function quantizationName(fileType: GgufValue | undefined, bytesByType: Map<string, number>): string {
  if (typeof fileType === "number") {
    const known = FILE_TYPES[fileType & ~FILE_TYPE_GUESSED];
    if (known) return known;
  }
  let best = "unknown";
  let bestBytes = -1;
  for (const [type, bytes] of bytesByType) {
    if (bytes > bestBytes) [best, bestBytes] = [type, bytes];
  }
  return best;
}

function formatCount(count: number): string {
  for (const [unit, scale] of [
    ["T", 1e12],
    ["B", 1e9],
    ["M", 1e6],
    ["K", 1e3],
  ] as const) {
    if (count >= scale) return `${Number((count / scale).toFixed(1))}${unit}`;
  }
  return String(count);
}

function notGguf(path: string, why?: string): LlmuxError {
  return new LlmuxError("not_gguf", `${path} is not a GGUF model file${why ? ` (${why})` : ""}`, {
    hint: "llmux runs GGUF files (llama.cpp's format); pull one with `llmux pull <model>` or pass a .gguf path",
  });
}

function corrupt(message: string, options: { hint?: string } = {}): LlmuxError {
  return new LlmuxError("corrupt_gguf", message, {
    hint: options.hint ?? "Delete the file and download it again",
  });
}

/** Sequential reads over a file handle through a small window, so the header is read once. */
class Reader {
  position = 0;
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly fileSize: number,
    private readonly path: string,
  ) {}

  private async take(length: number): Promise<Buffer> {
    const end = this.position + length;
    if (end > this.fileSize) {
      throw corrupt(`${this.path} is truncated: it ends inside its header, at byte ${this.fileSize}`);
    }
    if (this.position < this.windowStart || end > this.windowStart + this.window.length) {
      const size = Math.min(Math.max(length, CHUNK_BYTES), this.fileSize - this.position);
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await this.handle.read(buffer, 0, size, this.position);
      if (bytesRead < length) throw corrupt(`${this.path} is truncated: it ends inside its header`);
      this.window = buffer.subarray(0, bytesRead);
      this.windowStart = this.position;
    }
    const start = this.position - this.windowStart;
    this.position = end;
    return this.window.subarray(start, start + length);
  }

  private skip(length: number): void {
    if (this.position + length > this.fileSize) {
      throw corrupt(`${this.path} is truncated: it ends inside its header, at byte ${this.fileSize}`);
    }
    this.position += length;
  }

  async ascii(length: number): Promise<string> {
    return (await this.take(length)).toString("latin1");
  }

  async u32(): Promise<number> {
    return (await this.take(4)).readUInt32LE(0);
  }

  async u64(): Promise<number> {
    const value = (await this.take(8)).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw corrupt(`${this.path} is corrupt: a header count or size is out of range (${value})`);
    }
    return Number(value);
  }

  async string(): Promise<string> {
    return (await this.take(await this.u64())).toString("utf8");
  }

  async value(typeId: number): Promise<GgufValue> {
    const buffer = typeId === 8 || typeId === 9 ? undefined : await this.take(this.fixedSize(typeId));
    switch (typeId) {
      case 0:
        return buffer!.readUInt8(0);
      case 1:
        return buffer!.readInt8(0);
      case 2:
        return buffer!.readUInt16LE(0);
      case 3:
        return buffer!.readInt16LE(0);
      case 4:
        return buffer!.readUInt32LE(0);
      case 5:
        return buffer!.readInt32LE(0);
      case 6:
        return buffer!.readFloatLE(0);
      case 7:
        return buffer!.readUInt8(0) !== 0;
      case 8:
        return this.string();
      case 9:
        return this.array();
      case 10:
        return Number(buffer!.readBigUInt64LE(0));
      case 11:
        return Number(buffer!.readBigInt64LE(0));
      default:
        return buffer!.readDoubleLE(0);
    }
  }

  private fixedSize(typeId: number): number {
    const size = VALUE_TYPES[typeId]?.[1];
    if (!size) throw corrupt(`${this.path} is corrupt: unknown metadata value type ${typeId}`);
    return size;
  }

  private async array(): Promise<GgufValue> {
    const elementTypeId = await this.u32();
    const length = await this.u64();
    const elementType = VALUE_TYPES[elementTypeId]?.[0];
    if (!elementType) throw corrupt(`${this.path} is corrupt: unknown metadata value type ${elementTypeId}`);
    if (length <= KEPT_ARRAY_LENGTH) {
      const items: GgufValue[] = [];
      for (let i = 0; i < length; i++) items.push(await this.value(elementTypeId));
      return items;
    }
    // Long arrays (token lists, merges, scores) are skipped: only their shape is kept.
    if (elementTypeId === 8) {
      for (let i = 0; i < length; i++) this.skip(await this.u64());
    } else if (elementTypeId === 9) {
      for (let i = 0; i < length; i++) await this.array();
    } else {
      this.skip(length * this.fixedSize(elementTypeId));
    }
    return { type: "array", elementType, length };
  }
}
