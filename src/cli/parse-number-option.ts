import { LlmuxError } from "../core/errors.ts";

export function parseNumberOption(
  name: string,
  value: unknown,
  { min, max, integer = false }: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const valid =
    typeof value === "string" &&
    value.trim() !== "" &&
    Number.isFinite(number) &&
    (!integer || Number.isInteger(number)) &&
    (min === undefined || number >= min) &&
    (max === undefined || number <= max);
  if (!valid) {
    const range = [min !== undefined ? `>= ${min}` : "", max !== undefined ? `<= ${max}` : ""]
      .filter(Boolean)
      .join(" and ");
    throw new LlmuxError(
      "usage",
      `--${name} must be ${integer ? "a whole number" : "a number"}${range ? ` ${range}` : ""}, got "${String(value)}"`,
      {
        hint: `Run \`llmux --help\``,
      },
    );
  }
  return number;
}
