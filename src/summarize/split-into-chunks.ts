/** Tokens in a text, as the model (or an estimate of it) counts them. */
export type CountTokens = (text: string) => number;

/** Offsets where a new piece starts, for one kind of boundary. */
type Boundary = (text: string) => number[];

/**
 * The boundaries to cut at, best first: before headings (top levels before deeper ones), then
 * between paragraphs, lines, sentences and words. Inside a word only as a last resort.
 */
const BOUNDARIES: readonly Boundary[] = [
  ...[1, 2, 3, 4, 5, 6].map(
    (level): Boundary =>
      (text) =>
        headingStarts(text, level),
  ),
  (text) => endsOf(text, /\n[ \t]*\n\s*/g),
  (text) => endsOf(text, /\n\s*/g),
  (text) => endsOf(text, /[.!?。！？]+["'”’)\]]*\s+/gu),
  (text) => endsOf(text, /\s+/g),
];

/**
 * Splits text into consecutive chunks of at most `maxTokens` tokens each, cutting where its
 * structure allows (see BOUNDARIES) and packing neighbouring pieces back together up to the
 * budget. The chunks joined give back the text exactly: nothing is dropped or added.
 */
export function splitIntoChunks(text: string, maxTokens: number, countTokens: CountTokens): string[] {
  if (text === "") return [];

  const split = (piece: string, tokens: number, level: number): string[] => {
    if (tokens <= maxTokens) return [piece];
    for (let next = level; next < BOUNDARIES.length; next++) {
      const starts = BOUNDARIES[next]!(piece).filter((at) => at > 0 && at < piece.length);
      if (starts.length > 0) return pack(cut(piece, starts), next + 1);
    }
    return splitInsideWord(piece, tokens);
  };

  /**
   * Greedy: each piece joins the current chunk while the chunk stays within the budget; a piece
   * too long is split further and its parts join the same way (so a heading is not left alone).
   */
  const pack = (pieces: string[], level: number): string[] => {
    const chunks: string[] = [];
    let current: string[] = [];
    let currentTokens = 0;
    const add = (piece: string, tokens: number) => {
      if (current.length > 0 && currentTokens + tokens > maxTokens) {
        chunks.push(...verified(current));
        current = [];
        currentTokens = 0;
      }
      current.push(piece);
      currentTokens += tokens;
    };
    for (const piece of pieces) {
      const tokens = countTokens(piece);
      if (tokens <= maxTokens) add(piece, tokens);
      else for (const part of split(piece, tokens, level)) add(part, countTokens(part));
    }
    if (current.length > 0) chunks.push(...verified(current));
    return chunks;
  };

  /**
   * Token counts of pieces almost add up; where a tokenizer merges across a joint and the joined
   * chunk comes out over budget, it is halved (each piece alone fits).
   */
  const verified = (pieces: string[]): string[] => {
    const joined = pieces.join("");
    if (pieces.length === 1 || countTokens(joined) <= maxTokens) return [joined];
    const half = Math.ceil(pieces.length / 2);
    return [...verified(pieces.slice(0, half)), ...verified(pieces.slice(half))];
  };

  const splitInsideWord = (piece: string, tokens: number): string[] => {
    const chunks: string[] = [];
    let rest = piece;
    let restTokens = tokens;
    while (restTokens > maxTokens) {
      let end = Math.max(1, Math.floor((rest.length * maxTokens) / restTokens));
      while (end > 1 && countTokens(rest.slice(0, end)) > maxTokens) end = Math.max(1, Math.floor(end * 0.9));
      // Never cut a surrogate pair in two.
      if (end > 1 && /[\uD800-\uDBFF]/.test(rest[end - 1]!)) end -= 1;
      chunks.push(rest.slice(0, end));
      rest = rest.slice(end);
      restTokens = countTokens(rest);
    }
    if (rest) chunks.push(rest);
    return chunks;
  };

  return split(text, countTokens(text), 0);
}

function cut(text: string, starts: number[]): string[] {
  const pieces: string[] = [];
  let from = 0;
  for (const at of starts) {
    pieces.push(text.slice(from, at));
    from = at;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** Where each match ends: the separator stays with the piece before it. */
function endsOf(text: string, separator: RegExp): number[] {
  return [...text.matchAll(separator)].map((match) => match.index + match[0].length);
}

/** Starts of ATX headings of `level` or higher (`#` to `level` hashes), outside code blocks. */
function headingStarts(text: string, level: number): number[] {
  const heading = new RegExp(`^ {0,3}#{1,${level}}(?:[ \\t]|$)`);
  const starts: number[] = [];
  let fence: string | undefined;
  let offset = 0;
  for (const line of text.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === undefined ? marker : undefined;
    } else if (fence === undefined && heading.test(line)) {
      starts.push(offset);
    }
    offset += line.length + 1;
  }
  return starts;
}
