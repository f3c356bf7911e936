/**
 * Markdown + LaTeX rendered and sanitized (DOMPurify). Loaded lazily by NotesEditor, so that
 * marked, KaTeX and its fonts stay out of the bundle every other page loads.
 */
import { useMemo } from "react";
import DOMPurify from "dompurify";
import "katex/dist/katex.min.css";
import { renderNotes } from "../../lib/markdown.js";

/** KaTeX writes MathML and SVG next to its HTML; links in notes open in a new tab. */
const sanitize = (html: string): string =>
  DOMPurify.sanitize(html, { USE_PROFILES: { html: true, svg: true, mathMl: true }, ADD_ATTR: ["target"] });

export default function NotesMarkdown({ source }: { source: string }) {
  const html = useMemo(() => renderNotes(source, sanitize), [source]);
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
