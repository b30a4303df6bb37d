import type { Token } from "node-llama-cpp";
import { LlmuxError } from "../core/errors.ts";
import { localEngine } from "./local-engine.ts";

/** Turns token ids back into text; the inverse of `tokenize`. */
export async function detokenize(
  modelPath: string,
  ids: readonly number[],
  engine = localEngine,
): Promise<string> {
  const lease = await engine.useModel(modelPath);
  try {
    const { model, header } = lease.loaded;
    const vocabulary = header.metadata["tokenizer.ggml.tokens"];
    const size = vocabulary && typeof vocabulary === "object" ? vocabulary.length : Number.POSITIVE_INFINITY;
    // llama.cpp reads out of bounds on an unknown id rather than failing
    const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= size);
    if (bad !== undefined) {
      throw new LlmuxError("bad_request", `Token id ${bad} is not in the vocabulary of ${modelPath}`, {
        hint: `Use ids from 0 to ${size - 1}`,
      });
    }
    return model.detokenize(ids as Token[], false);
  } finally {
    lease.release();
  }
}
