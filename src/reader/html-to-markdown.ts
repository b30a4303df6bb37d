import TurndownService from "turndown";

const LANGUAGE = /(?:^|\s)(?:language|lang|highlight-source|highlight|brush:?)-?\s*([\w+#.-]+)/i;

function codeLanguage(pre: Element): string {
  const code = pre.querySelector("code");
  for (const el of [code, pre, pre.parentElement]) {
    const match = LANGUAGE.exec(el?.getAttribute("class") ?? "");
    if (match?.[1]) return match[1].toLowerCase();
  }
  return "";
}

function cellText(content: string): string {
  return content.replace(/\n+/g, " ").replace(/\|/g, "\\|").trim();
}

/** Layout tables (one column, one row, or tables inside tables) are content, not data. */
function isDataTable(table: Element | null): boolean {
  if (!table) return false;
  const rows = [...table.querySelectorAll("tr")];
  if (rows.length < 2 || table.querySelector("table")) return false;
  return rows.some((row) => row.querySelectorAll("th, td").length > 1);
}

function createService(): TurndownService {
  const service = new TurndownService({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
    hr: "---",
  });

  service.addRule("fencedCode", {
    filter: (node) => node.nodeName.toLowerCase() === "pre",
    replacement: (_content, node) => {
      const pre = node as unknown as Element;
      for (const br of pre.querySelectorAll("br")) br.replaceWith("\n");
      const code = (pre.textContent ?? "").replace(/\n$/, "");
      const longestRun = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
      const fence = "`".repeat(longestRun + 1);
      return `\n\n${fence}${codeLanguage(pre)}\n${code}\n${fence}\n\n`;
    },
  });

  // GFM tables: each cell becomes "| text ", each row ends with "|", and a separator line
  // follows the first row (GFM needs a header row, so the first row serves as one).
  service.addRule("tableCell", {
    filter: (node) => /^t[hd]$/i.test(node.nodeName) && isDataTable(node.closest("table")),
    replacement: (content) => `| ${cellText(content)} `,
  });
  service.addRule("tableRow", {
    filter: (node) => node.nodeName.toLowerCase() === "tr" && isDataTable(node.closest("table")),
    replacement: (content, node) => {
      const row = node as unknown as Element;
      const table = row.closest("table") as Element;
      const isFirst = table.querySelector("tr") === row;
      const cells = row.querySelectorAll("th, td").length;
      const separator = isFirst ? `\n${"| --- ".repeat(cells)}|` : "";
      return `\n${content}|${separator}`;
    },
  });
  service.addRule("table", {
    filter: (node) => node.nodeName.toLowerCase() === "table" && isDataTable(node as unknown as Element),
    replacement: (content) => `\n\n${content.replace(/\n+/g, "\n").trim()}\n\n`,
  });
  service.addRule("tableSection", {
    filter: ["thead", "tbody", "tfoot"],
    replacement: (content) => content,
  });
  service.addRule("tableCaption", { filter: ["caption"], replacement: (content) => `\n\n${content}\n\n` });
  // Decorative images (no alt text) only add URLs the reader cannot use.
  service.addRule("decorativeImage", {
    filter: (node) => node.nodeName.toLowerCase() === "img" && !(node.getAttribute("alt") ?? "").trim(),
    replacement: () => "",
  });
  return service;
}

const service = createService();

/** Markdown for an extracted article element: fenced code with its language, GFM tables, absolute links as given. */
export function htmlToMarkdown(root: Element): string {
  return service
    .turndown(root as unknown as HTMLElement)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
