/**
 * `run.toHtml()` and `run.display()` (W&B's `to_html` / `display`): an iframe of the server's
 * embeddable, read-only view of the run (`/embed/<entity>/<project>/runs/<id>`: summary and charts,
 * framable from any origin), and showing it in a notebook: tslab (`tslab.display.html`) or Deno's
 * Jupyter kernel (`Deno.jupyter.display`). Elsewhere `display()` shows nothing and returns false.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { UsageError } from "@stepwise/protocol";

export interface EmbedOptions {
  /** Height of the iframe in CSS pixels. Default 420 (as W&B). */
  height?: number;
  /** Hide the iframe behind a "Show run" button. Default false. */
  hidden?: boolean;
}

export function runEmbedUrl(baseUrl: string, entity: string, project: string, id: string): string {
  const enc = encodeURIComponent;
  return `${baseUrl}/embed/${enc(entity)}/${enc(project)}/runs/${enc(id)}`;
}

/** The iframe (url null: an offline or disabled run, which the server does not have yet: a note instead). */
export function embedHtml(url: string | null, options: EmbedOptions = {}): string {
  const height = options.height ?? 420;
  if (typeof height !== "number" || !Number.isFinite(height) || height <= 0)
    throw new UsageError(`run.toHtml: height must be a positive number of pixels, not ${String(height)}`);
  if (url === null)
    return "<p>This run is not on a server (offline or disabled): sync it with <code>stepwise sync</code> to view it.</p>";
  const hidden = options.hidden === true;
  const style = `border:none;width:100%;height:${Math.round(height)}px;${hidden ? "display:none;" : ""}`;
  const iframe = `<iframe src="${escapeAttribute(url)}" style="${style}" loading="lazy" title="Stepwise run"></iframe>`;
  if (!hidden) return iframe;
  const toggle =
    "<button onclick=\"var f=this.nextElementSibling;f.style.display=f.style.display==='none'?'block':'none'\">Show run</button>";
  return toggle + iframe;
}

/** Shows `html` in the notebook this process is a kernel of; false when it is none. */
export function displayHtml(html: string): boolean {
  const deno = (
    globalThis as { Deno?: { jupyter?: { display?: (value: unknown, options?: unknown) => unknown } } }
  ).Deno;
  if (typeof deno?.jupyter?.display === "function") {
    void deno.jupyter.display({ "text/html": html }, { raw: true });
    return true;
  }
  const tslab = tslabDisplay();
  if (tslab !== null) {
    tslab(html);
    return true;
  }
  return false;
}

/** tslab's `display.html` when this process is a tslab kernel (`tslab kernel …` in its arguments). */
function tslabDisplay(): ((html: string) => void) | null {
  if (!process.argv.some((arg) => /tslab/.test(arg)) || !process.argv.includes("kernel")) return null;
  try {
    const require = createRequire(join(process.cwd(), "noop.js"));
    const tslab = require("tslab") as { display?: { html?: (html: string) => void } };
    return typeof tslab.display?.html === "function" ? tslab.display.html : null;
  } catch {
    return null;
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
