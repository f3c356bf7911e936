/**
 * Which parts of a Vega / Vega-Lite spec could reach outside the page that draws it. User chart
 * presets are drawn in the app's own origin, so a spec must not fetch data from a URL (it would
 * read our API with the viewer's session, or tell another site who looked), link marks to
 * `javascript:` or another site, or load images from elsewhere. The server refuses such specs
 * when a preset is saved; the web app checks again before drawing (presets saved before this rule
 * existed) and also draws through a loader that refuses every load (expressions can build URLs
 * no static check sees).
 */

/** The first part of a spec that may not be drawn: where it is (`spec.layer[0].data.url`) and why. */
export interface UnsafeSpecPart {
  path: string;
  reason: string;
}

/** A link or image inside the app itself: a path on this origin (`/…`, not `//host`). */
export function isSameOriginPath(value: string): boolean {
  if (!value.startsWith("/")) return false;
  // Resolved by the URL parser, which drops tabs and newlines ("/\t/evil.example" is "//evil…").
  const base = "http://same-origin.invalid";
  try {
    return new URL(value, base).origin === base;
  } catch {
    return false;
  }
}

/** Inline image bytes carry nothing from elsewhere. */
function isInlineImage(value: string): boolean {
  return /^data:image\/(png|jpeg|gif|webp);/i.test(value);
}

/** The literal a property holds: a string, or the `{ "value": "…" }` of an encoding channel. */
function literalOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "value" in value) {
    const inner = value.value;
    if (typeof inner === "string") return inner;
  }
  return null;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function checkProperty(path: string, key: string, value: unknown, underData: boolean): UnsafeSpecPart | null {
  if (key === "url" && underData)
    return {
      path,
      reason:
        'fetches data from a URL; a chart preset draws only the table it is bound to — use "data": {"name": "table"}',
    };
  if (key === "url") {
    const literal = literalOf(value);
    if (literal !== null && !isSameOriginPath(literal) && !isInlineImage(literal))
      return {
        path,
        reason: `loads an image from ${JSON.stringify(literal.slice(0, 80))}; images must come from the table's own cells or this server (a path starting with "/")`,
      };
  }
  if (key === "href") {
    const literal = literalOf(value);
    if (literal !== null && !isSameOriginPath(literal))
      return {
        path,
        reason: `links to ${JSON.stringify(literal.slice(0, 80))}; a chart may link only to pages of this app (a path starting with "/")`,
      };
  }
  return null;
}

function walk(node: unknown, path: string, underData: boolean, depth: number): UnsafeSpecPart | null {
  // Specs are JSON from a request body; 64 levels is far beyond any real chart.
  if (depth > 64) return { path, reason: "is nested more than 64 levels deep" };
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) {
      const found = walk(item, childPath(path, index), underData, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof node !== "object" || node === null) return null;
  for (const [key, value] of Object.entries(node)) {
    const here = childPath(path, key);
    const found = checkProperty(here, key, value, underData) ?? walk(value, here, key === "data", depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** The first part of `spec` that reaches outside the page, or null when it draws only what it is given. */
export function findUnsafeSpecPart(spec: unknown, root = "spec"): UnsafeSpecPart | null {
  return walk(spec, root, false, 0);
}
