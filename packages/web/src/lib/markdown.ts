/**
 * Run notes: Markdown with LaTeX (`$…$` inline, `$$…$$` display) → HTML. Notes are user content,
 * so the pure step already refuses what could run script — raw HTML is shown as text and links
 * or images whose URL is not http(s)/mailto/relative lose it — and `renderNotes` then passes the
 * result through a sanitizer the caller injects (DOMPurify in the browser), so a gap in either
 * layer alone does not open the page to script.
 */
import { Marked, type Tokens } from "marked";
import markedKatex from "marked-katex-extension";

const SAFE_URL = /^(?:https?:|mailto:|#|\/|\.{0,2}\/|[^:/?#]*(?:[/?#]|$))/i;

/** True for URLs a note may link to: http(s), mailto, anchors and relative paths. */
export function isSafeUrl(url: string): boolean {
  // Browsers ignore control characters and spaces inside a scheme (`java\tscript:`).
  // eslint-disable-next-line no-control-regex
  const compact = url.replace(/[\u0000-\u0020\u007f]/g, "");
  return SAFE_URL.test(compact);
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use(markedKatex({ throwOnError: false, output: "htmlAndMathml" }));
marked.use({
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      if (!isSafeUrl(token.href)) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      return `<a href="${escapeHtml(token.href)}"${title} rel="noopener noreferrer" target="_blank">${text}</a>`;
    },
    image(token: Tokens.Image): string {
      if (!isSafeUrl(token.href)) return escapeHtml(token.text);
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      return `<img src="${escapeHtml(token.href)}" alt="${escapeHtml(token.text)}"${title}>`;
    },
  },
});

/** Markdown + LaTeX → HTML, without a DOM. Raw HTML comes out escaped; unsafe URLs are dropped. */
export function markdownToHtml(source: string): string {
  return marked.parse(source, { async: false });
}

/** What `renderNotes` passes its HTML through; in the browser, DOMPurify's `sanitize`. */
export type Sanitize = (html: string) => string;

/** Notes as the page shows them: rendered, then sanitized by `sanitize`. */
export function renderNotes(source: string, sanitize: Sanitize): string {
  return sanitize(markdownToHtml(source));
}
