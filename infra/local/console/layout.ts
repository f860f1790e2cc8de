/**
 * The console's page shell: one `<main>` with the page's heading, a navigation between the
 * pages, the stylesheet and the small client script, all served by the console itself.
 *
 * @example
 * ```ts
 * const page = layout({ title: "Overview", path: "/", body: html`<p>...</p>` });
 * ```
 */
import { type Html, html } from "./html";

/** The console's pages, in navigation order. */
export const CONSOLE_PAGES = [
  { path: "/", title: "Overview" },
  { path: "/orders", title: "Order's life" },
  { path: "/dead-letters", title: "Dead letters" },
  { path: "/logs", title: "Logs" },
  { path: "/diagram", title: "Diagram" },
] as const;

/** A whole page: the title names the page, `path` marks the current navigation entry. */
export const layout = (page: {
  readonly title: string;
  readonly path: string;
  readonly body: Html;
}): Html =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · msk-order-events console</title>
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header>
<p class="brand">msk-order-events · local console</p>
<nav aria-label="Pages"><ul>${CONSOLE_PAGES.map(
    (entry) =>
      html`<li><a href="${entry.path}"${entry.path === page.path ? html` aria-current="page"` : ""}>${entry.title}</a></li>`,
  )}</ul></nav>
</header>
<main id="content">
<h1>${page.title}</h1>
${page.body}
</main>
</body>
</html>
`;

/** A table with a caption, a header row and rows of cells (already rendered). */
export const table = (
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly (Html | string | number)[])[],
  empty = "nothing yet",
): Html =>
  html`<table>
<caption>${caption}</caption>
<thead><tr>${headers.map((header) => html`<th scope="col">${header}</th>`)}</tr></thead>
<tbody>${
    rows.length === 0
      ? html`<tr><td colspan="${headers.length}" class="empty">${empty}</td></tr>`
      : rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)
  }</tbody>
</table>`;

/** An ISO time, or a dash. */
export const timeText = (at: Date | string | undefined | null): string =>
  at === undefined || at === null
    ? "–"
    : new Date(at).toISOString().replace("T", " ").replace("Z", " UTC");
