/**
 * Renders streamed Markdown for a terminal, a line at a time: a line is drawn once it is
 * complete, so the answer still appears as it streams. Tables are held until they end, to align
 * their columns. Without colour (piped output, NO_COLOR) the text passes through untouched.
 */
interface MarkdownRenderer {
  /** Feed a delta; returns what can be printed now. */
  write(delta: string): string;
  /** Flush the rest at the end of the stream. */
  end(): string;
}

const ansi = {
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
  italic: (s: string) => `\x1b[3m${s}\x1b[23m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[39m`,
  underline: (s: string) => `\x1b[4m${s}\x1b[24m`,
};

export function createMarkdownRenderer(color: boolean): MarkdownRenderer {
  if (!color) return { write: (delta) => delta, end: () => "" };
  let pending = "";
  let inCode = false;
  let table: string[] = [];

  const flushTable = (): string => {
    if (table.length === 0) return "";
    const out = renderTable(table);
    table = [];
    return out;
  };

  const renderLine = (line: string): string => {
    if (/^\s*(```|~~~)/.test(line)) {
      inCode = !inCode;
      return `${flushTable()}${ansi.dim(line)}\n`;
    }
    if (inCode) return `${ansi.cyan(line)}\n`;
    if (/^\s*\|.*\|\s*$/.test(line)) {
      table.push(line);
      return "";
    }
    const before = flushTable();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading)
      return `${before}${ansi.bold(heading[1]!.length <= 2 ? ansi.underline(inline(heading[2]!)) : inline(heading[2]!))}\n`;
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) return `${before}${bullet[1]}• ${inline(bullet[2]!)}\n`;
    if (/^\s*>/.test(line)) return `${before}${ansi.dim(`│ ${inline(line.replace(/^\s*>\s?/, ""))}`)}\n`;
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return `${before}${ansi.dim("─".repeat(40))}\n`;
    return `${before}${inline(line)}\n`;
  };

  return {
    write(delta) {
      pending += delta;
      let out = "";
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        out += renderLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
      return out;
    },
    end() {
      const last = pending ? renderLine(pending) : "";
      pending = "";
      return last + flushTable();
    },
  };
}

function inline(text: string): string {
  return text
    .replace(/`([^`]+)`/g, (_, code: string) => ansi.cyan(code))
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_, a: string | undefined, b: string | undefined) =>
      ansi.bold(a ?? b ?? ""),
    )
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, (_, pre: string, s: string) => `${pre}${ansi.italic(s)}`)
    .replace(
      /\[([^\]]+)\]\(([^)\s]+)\)/g,
      (_, label: string, url: string) => `${ansi.underline(label)} ${ansi.dim(`(${url})`)}`,
    );
}

function renderTable(lines: string[]): string {
  const rows = lines
    .filter((line) => !/^\s*\|?\s*:?-{2,}/.test(line))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((cell) => cell.trim()),
    );
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row, r) => {
      const text = row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
      return `${r === 0 ? ansi.bold(text) : text}\n`;
    })
    .join("");
}
