/**
 * HTML for the console's server-rendered pages: a tagged template that escapes every
 * interpolated value unless it is already {@link Html}, so a record's bytes or a reason text
 * can never become markup.
 *
 * @example
 * ```ts
 * const cell = html`<td>${reason}</td>`; // "<" in reason arrives as "&lt;"
 * html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`;
 * ```
 */

/** Markup that is already safe: escaped values or literal template text. */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** The text with HTML's special characters escaped, for text and quoted attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** What may be interpolated: text is escaped, `Html` kept, lists joined, nothing dropped. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const render = (value: HtmlValue): string => {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
};

/** The template's literal parts as they are, each interpolated value escaped. */
export const html = (strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html =>
  new Html(
    strings
      .slice(1)
      .reduce((out, part, index) => out + render(values[index]) + part, strings[0] ?? ""),
  );
