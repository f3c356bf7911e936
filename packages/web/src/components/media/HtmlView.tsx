/**
 * Logged HTML in a sandboxed iframe: `sandbox="allow-scripts"` without `allow-same-origin`, so the
 * document runs in an opaque origin — its scripts run, but they can read none of the app's
 * cookies or storage, and the API refuses their state-changing requests (Origin: null) and
 * hides its answers from them (no CORS). A Content-Security-Policy put first in the document
 * also forbids it any network request at all (connect-src, img-src, … 'none' but data:/blob:).
 * The bytes are fetched with the API key and handed over as `srcdoc`; the file route itself
 * serves files as attachments under `CSP: sandbox`, so its URL never renders as a page.
 */
import { useEffect, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import type { MediaItem } from "../../lib/media-values.js";
import { loadFileText } from "./media-cache.js";

/** Prepended to every logged document: a meta CSP applies to everything after it. */
export const HTML_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; media-src data: blob:; font-src data:";

export function sandboxedDocument(html: string): string {
  return `<!doctype html><meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">${html}`;
}

export function HtmlView({ runRef, item, size }: { runRef: RunRef; item: MediaItem; size: number }) {
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadFileText(runRef, item.path).then(
      (text) => live && setHtml(text),
      (cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)),
    );
    return () => {
      live = false;
    };
  }, [runRef.entity, runRef.project, runRef.runId, item.path]);
  if (error !== null)
    return (
      <div className="media-error">
        Could not load {item.path}: {error}
      </div>
    );
  if (html === null) return <div className="media-placeholder" style={{ width: size, height: size }} />;
  return (
    <iframe
      className="media-html"
      data-testid="media-html"
      data-path={item.path}
      title={item.caption ?? item.path}
      sandbox="allow-scripts"
      referrerPolicy="no-referrer"
      srcDoc={sandboxedDocument(html)}
      style={{ width: size, height: size }}
    />
  );
}
