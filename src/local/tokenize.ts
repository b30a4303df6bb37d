import { localEngine } from "./local-engine.ts";

interface Tokenization {
  ids: number[];
  /** The text of each token as it reads in place (with its leading space, for SentencePiece vocabularies). */
  pieces: string[];
  count: number;
}

/**
 * Splits text into the model's tokens, as plain text: special-token markup like `<|im_start|>`
 * is not interpreted, and no beginning-of-sequence token is added.
 */
export async function tokenize(modelPath: string, text: string, engine = localEngine): Promise<Tokenization> {
  const lease = await engine.useModel(modelPath);
  try {
    const { model } = lease.loaded;
    const ids = model.tokenize(text, false);
    const pieces = ids.map((id, index) => model.detokenize([id], false, ids.slice(0, index)));
    return { ids, pieces, count: ids.length };
  } finally {
    lease.release();
  }
}
