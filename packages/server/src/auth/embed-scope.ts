/**
 * What an embed token may ask: deny by default. It may read its run (GET/HEAD under
 * `/runs/<its run>/…`), run the read-only queries the embed view makes (series, series keys,
 * histograms, tables, key kinds, presets, its run's media files in one batch), and ask who it is
 * (`/viewer`); every route also checks the run it reads (principal.ts), so a query naming
 * another run is refused there too. Anything else — another run, a project or entity listing,
 * any write — is FORBIDDEN here, before the route.
 */
import { API_PREFIX, AuthError, type RunRef } from "@stepwise/protocol";
import { embedRefusal } from "./principal.js";

const READ_METHODS = new Set(["GET", "HEAD"]);

/** Read-only queries sent as POST (their bodies name the runs; the routes check each one). */
const POST_QUERIES: ReadonlyArray<(s: readonly string[], own: boolean) => boolean> = [
  (s) => s.length === 1 && s[0] === "series",
  (s) => s.length === 2 && s[0] === "series" && s[1] === "keys",
  (s) => s.length === 2 && s[0] === "presets" && s[1] === "render",
  // Media files of many items at once: the body names the runs; the route allows the token's own only.
  (s) => s.length === 4 && s[0] === "media" && s[3] === "files",
  (s, own) => own && s.length === 6 && s[5] === "query" && (s[4] === "histograms" || s[4] === "tables"),
];

/** Throws FORBIDDEN unless an embed token of `run` may make this request. */
export function assertEmbedRequest(run: RunRef, method: string, pathname: string): void {
  const segments = apiSegments(pathname);
  const own =
    segments !== null &&
    segments[0] === "runs" &&
    segments.length >= 4 &&
    segments[1] === run.entity &&
    segments[2] === run.project &&
    segments[3] === run.runId;
  if (segments !== null && READ_METHODS.has(method.toUpperCase())) {
    if (own || readsShared(segments, run)) return;
    throw embedRefusal(run, `${method} ${pathname.slice(0, 200)}`);
  }
  if (
    segments !== null &&
    method.toUpperCase() === "POST" &&
    POST_QUERIES.some((allowed) => allowed(segments, own))
  )
    return;
  throw new AuthError(
    "FORBIDDEN",
    `an embed token is read-only: ${method} ${pathname.slice(0, 200)} is not allowed with it; use an API key`,
  );
}

/** Reads that are not under the run's path: its project's media and key kinds (for its run only), presets, viewer. */
function readsShared(s: readonly string[], run: RunRef): boolean {
  if (s[0] === "presets" || (s.length === 1 && s[0] === "viewer")) return true;
  const ofProject = s[1] === run.entity && s[2] === run.project;
  if (s[0] === "key-kinds" && s.length === 3) return ofProject;
  if (s[0] === "media" && (s.length === 3 || (s.length === 4 && s[3] === "steps"))) return ofProject;
  return false;
}

/** The decoded segments after `/api/v1/`, or null for a path outside the API or not decodable. */
function apiSegments(pathname: string): string[] | null {
  if (!pathname.startsWith(`${API_PREFIX}/`)) return null;
  try {
    return pathname
      .slice(API_PREFIX.length + 1)
      .split("/")
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}
