/**
 * `Html`: W&B's `wandb.Html` (reference §8.5). From an HTML string or the path of an .html file
 * (read at log()). `inject` (default true) adds `<base target="_blank">` and a small inline
 * stylesheet after `<head>` (wrapped in a new `<head>` after `<html>`, else prepended), where
 * W&B links its hosted normalize.css: a self-hosted server must not make logged pages fetch from
 * a third party. History JSON: `{"_type":"html-file","sha256","size","path":"media/html/<key>_<step>_<sha20>.html"}`;
 * a list is `{"_type":"html","count","html":[…]}`.
 */
import { readFileSync } from "node:fs";
import { InvalidDataError } from "@stepwise/protocol";
import { checkMediaFile } from "./media-file.js";
import {
  fileFields,
  TO_LOGGED,
  TO_LOGGED_LIST,
  type Loggable,
  type LogContext,
  type LoggedFile,
  type LoggedValue,
} from "./logged-value.js";

export interface HtmlOptions {
  /** Add `<base target="_blank">` and default styles (default true). */
  inject?: boolean;
  /** Treat a string ending in .html as markup, never as a path (W&B's data_is_not_path). */
  dataIsNotPath?: boolean;
}

export const HTML_INJECTION =
  '<base target="_blank"><style>html{line-height:1.15;-webkit-text-size-adjust:100%}body{margin:0;font-family:system-ui,sans-serif}</style>';

export class Html implements Loggable {
  constructor(
    readonly source: string,
    readonly options: HtmlOptions = {},
  ) {
    if (typeof source !== "string")
      throw new InvalidDataError("Html: give an HTML string or the path of an .html file");
  }

  [TO_LOGGED](ctx: LogContext): LoggedValue {
    return {
      json: fileFields(0, { _type: "html-file" }),
      files: [this.prepare(`${ctx.context}: Html at ${ctx.key}`)],
    };
  }

  [TO_LOGGED_LIST](items: readonly Loggable[], ctx: LogContext): LoggedValue {
    const pages = items as Html[];
    return {
      json: {
        _type: "html",
        count: pages.length,
        html: pages.map((_, i) => fileFields(i, { _type: "html-file" })),
      },
      files: pages.map((page, i) => page.prepare(`${ctx.context}: Html ${i} of the list at ${ctx.key}`)),
    };
  }

  private prepare(what: string): LoggedFile {
    let html = this.source;
    const looksLikePath = !this.options.dataIsNotPath && /\.html?$/i.test(html.trim()) && !html.includes("<");
    if (looksLikePath) {
      checkMediaFile(html.trim(), what, ["html", "htm"]);
      html = readFileSync(html.trim(), "utf8");
    }
    if (this.options.inject ?? true) html = injectHead(html);
    return { dir: "media/html", ext: ".html", content: { kind: "bytes", bytes: Buffer.from(html, "utf8") } };
  }
}

/** W&B's placement of the injected head content; the result is trimmed as W&B does. */
export function injectHead(html: string): string {
  const head = /<head[^>]*>/i.exec(html);
  if (head !== null) {
    const at = head.index + head[0].length;
    return (html.slice(0, at) + HTML_INJECTION + html.slice(at)).trim();
  }
  const root = /<html[^>]*>/i.exec(html);
  if (root !== null) {
    const at = root.index + root[0].length;
    return (html.slice(0, at) + `<head>${HTML_INJECTION}</head>` + html.slice(at)).trim();
  }
  return (HTML_INJECTION + html).trim();
}
