import type { ParseArgsConfig } from "node:util";
import { LlmuxError } from "../core/errors.ts";

/**
 * One command-line option, declared once: the parser's spec, the help line and the typed,
 * validated value all come from it.
 */
type OptionDeclaration = { short?: string; description: string } & (
  | { type: "boolean" }
  | { type: "string"; placeholder: string; default?: string; choices?: readonly string[] }
  | { type: "number"; placeholder: string; default?: number; min?: number; max?: number; integer?: boolean }
  | { type: "multiple"; placeholder: string }
);

export type OptionDeclarations = { readonly [name: string]: OptionDeclaration };

type ValueOf<D> = D extends { type: "boolean" }
  ? boolean
  : D extends { type: "multiple" }
    ? string[]
    : D extends { type: "number" }
      ? D extends { default: number }
        ? number
        : number | undefined
      : D extends { choices: readonly (infer C)[] }
        ? D extends { default: string }
          ? C
          : C | undefined
        : D extends { default: string }
          ? string
          : string | undefined;

/** The parsed values: booleans never undefined, numbers converted, a default applied. */
export type OptionValues<D extends OptionDeclarations> = { -readonly [K in keyof D]: ValueOf<D[K]> };

/** Keeps the literal types (`type: "number"`, `choices`, `default`) that OptionValues reads. */
export function defineOptions<const D extends OptionDeclarations>(declarations: D): D {
  return declarations;
}

/** The spec for node:util parseArgs: numbers are strings until parseOptionValues converts them. */
export function toParseArgsOptions(
  declarations: OptionDeclarations,
): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(
    Object.entries(declarations).map(([name, d]) => [
      name,
      {
        type: d.type === "boolean" ? "boolean" : "string",
        ...(d.short === undefined ? {} : { short: d.short }),
        ...(d.type === "multiple" ? { multiple: true } : {}),
      },
    ]),
  );
}

/**
 * The options part of a help text: flags in one column, descriptions aligned in the next, a
 * description's further lines (`\n` in it) under its first, a declared default at its end.
 */
export function renderOptionsHelp(declarations: OptionDeclarations): string {
  const rows = Object.entries(declarations).map(([name, d]) => {
    const flag = `  ${d.short === undefined ? "    " : `-${d.short}, `}--${name}${"placeholder" in d ? ` ${d.placeholder}` : ""}`;
    const fallback = "default" in d && d.default !== undefined ? ` (default ${d.default})` : "";
    return { flag, lines: `${d.description}${fallback}`.split("\n") };
  });
  const column = Math.max(0, ...rows.map((r) => r.flag.length)) + 3;
  return rows
    .map(({ flag, lines }) =>
      lines.map((line, i) => `${(i === 0 ? flag : "").padEnd(column)}${line}`.trimEnd()).join("\n"),
    )
    .join("\n");
}

/**
 * parseArgs' values, typed: numbers and choices checked (a usage error, exit 2, naming the option),
 * defaults applied. `command` names the help a bad choice points to.
 */
export function parseOptionValues<D extends OptionDeclarations>(
  declarations: D,
  values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
  command: string,
): OptionValues<D> {
  const parsed: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(declarations)) {
    const value = values[name];
    if (d.type === "boolean") parsed[name] = value === true;
    else if (d.type === "multiple") parsed[name] = Array.isArray(value) ? value.map(String) : [];
    else if (value === undefined) parsed[name] = d.default;
    else if (d.type === "number") parsed[name] = parseNumber(name, String(value), d, command);
    else {
      if (d.choices !== undefined && !d.choices.includes(String(value))) {
        const last = d.choices.at(-1);
        const choices = `${d.choices.slice(0, -1).join(", ")} or ${last}`;
        throw new LlmuxError("usage", `--${name} must be ${choices}, got "${String(value)}"`, {
          hint: `Run \`llmux ${command} --help\``,
        });
      }
      parsed[name] = String(value);
    }
  }
  return parsed as OptionValues<D>;
}

function parseNumber(
  name: string,
  value: string,
  { min, max, integer = false }: { min?: number; max?: number; integer?: boolean },
  command: string,
): number {
  const number = Number(value);
  const valid =
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
      `--${name} must be ${integer ? "a whole number" : "a number"}${range ? ` ${range}` : ""}, got "${value}"`,
      { hint: `Run \`llmux ${command} --help\`` },
    );
  }
  return number;
}
