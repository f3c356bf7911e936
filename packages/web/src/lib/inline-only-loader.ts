/**
 * The loader custom charts are drawn through. Vega asks its loader for every data URL, every
 * image mark's URL and every link a mark opens; this one fetches nothing (a chart's rows are
 * handed over inline) and lets images and links through only when they stay on this app's own
 * origin over http(s), or are inline image bytes. A spec that builds a URL in an expression
 * (which the saved-spec check cannot see) is stopped here.
 */
/** The subset of Vega's `Loader` that vega-embed calls. */
export interface InlineOnlyLoader {
  load: (uri: string) => Promise<string>;
  sanitize: (uri: string, options: { context?: string }) => Promise<{ href: string }>;
  http: (uri: string) => Promise<string>;
  file: (filename: string) => Promise<string>;
}

/** Why a URL is refused, or null when `uri` may be used as an image or link on `origin`. */
export function refusalOf(uri: string, context: string | undefined, origin: string): string | null {
  if (context === "image" && /^data:image\/(png|jpeg|gif|webp);/i.test(uri)) return null;
  // Always resolved by the URL parser itself: it drops tabs and newlines inside a scheme
  // ("java\nscript:"), which a pattern over the raw text would miss.
  let url: URL;
  try {
    url = new URL(uri, origin);
  } catch {
    return `${JSON.stringify(uri.slice(0, 80))} is not a URL`;
  }
  if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === origin) return null;
  return `${JSON.stringify(uri.slice(0, 80))} leaves this app`;
}

/** Raised for every refused load; the chart shows its message. */
export class RefusedLoadError extends Error {
  override name = "RefusedLoadError";
}

export function inlineOnlyLoader(origin: string, onRefused: (message: string) => void): InlineOnlyLoader {
  const refuse = (message: string): Promise<never> => {
    onRefused(message);
    return Promise.reject(new RefusedLoadError(message));
  };
  return {
    load: (uri) =>
      refuse(`data from ${JSON.stringify(uri.slice(0, 80))} is not loaded: a chart draws only its table`),
    http: (uri) =>
      refuse(`data from ${JSON.stringify(uri.slice(0, 80))} is not loaded: a chart draws only its table`),
    file: (name) =>
      refuse(`file ${JSON.stringify(name.slice(0, 80))} is not loaded: a chart draws only its table`),
    sanitize: (uri, options) => {
      const why = refusalOf(uri, options.context, origin);
      if (why !== null) return refuse(`${options.context === "href" ? "link" : "image"} refused: ${why}`);
      return Promise.resolve({ href: uri });
    },
  };
}
