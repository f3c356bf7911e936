/**
 * What a server that trusts this machine (loopback trust: no key needed from 127.0.0.1) must
 * refuse, because a web page in the user's browser runs on this machine too:
 * - a Host other than a loopback name with the server's port: a page whose own name was made to
 *   resolve to 127.0.0.1 (DNS rebinding) would otherwise be same-origin with the server;
 * - a state-changing request from another origin (`Origin`, `Sec-Fetch-Site`): any page may send
 *   a POST to 127.0.0.1 without asking (a text/plain body needs no CORS preflight).
 * Clients that are not browsers (the SDK, the CLI, curl) send neither header and pass.
 * Each check returns null when the request may go on, else a message naming what to do.
 */
import { isIP } from "node:net";
import { isLoopbackAddress } from "./loopback.js";

/** `name` or `name:port`, the name being a DNS name, an IPv4 address or a bracketed IPv6 address. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^[\]:/@\s?#\\]+)(?::(\d{1,5}))?$/i;

/** The methods that only read; every other method may change data. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `Sec-Fetch-Site` values of a request the user made (typed URL, bookmark) or a page of this origin made. */
const OWN_FETCH_SITES = new Set(["same-origin", "none"]);

export interface ParsedHost {
  /** Lowercase, IPv6 in brackets, as it appears in an origin. */
  name: string;
  port: number;
}

/** Parses a Host header; null when it is not one. A missing port is 80 (plain HTTP). */
export function parseHostHeader(host: string): ParsedHost | null {
  const match = HOST_HEADER.exec(host.trim());
  if (match === null || match[1] === undefined) return null;
  const port = match[2] === undefined ? 80 : Number(match[2]);
  if (port < 1 || port > 65_535) return null;
  return { name: match[1].toLowerCase(), port };
}

/** Whether a Host name (as `parseHostHeader` gives it) names this machine: localhost, 127.x.x.x or [::1]. */
export function isLoopbackName(name: string): boolean {
  if (name === "localhost") return true;
  if (name.startsWith("[") && name.endsWith("]")) return isLoopbackAddress(name.slice(1, -1));
  return isIP(name) === 4 && name.startsWith("127.");
}

export function loopbackHostProblem(host: string | undefined, serverPort: number): string | null {
  const parsed = host === undefined ? null : parseHostHeader(host);
  if (parsed !== null && isLoopbackName(parsed.name) && parsed.port === serverPort) return null;
  const named = host === undefined ? "no Host header" : `Host '${host.slice(0, 200)}'`;
  return (
    `this server trusts requests from this machine, so it answers only to localhost, 127.0.0.1 or ` +
    `[::1] on port ${serverPort}; the request has ${named} (a web page that renames this address, ` +
    `as DNS rebinding does, must not reach it). Open http://127.0.0.1:${serverPort}/ instead, or ` +
    `start the server with --no-loopback-trust and send an API key`
  );
}

export interface BrowserHeaders {
  method: string;
  /** The request's Host header, already checked by `loopbackHostProblem`. */
  host: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

export function crossOriginProblem(request: BrowserHeaders): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const own = ownOrigin(request.host);
  const site = request.secFetchSite?.trim().toLowerCase();
  if (site !== undefined && !OWN_FETCH_SITES.has(site))
    return refusal(request, `Sec-Fetch-Site: ${site.slice(0, 40)}`, own);
  if (request.origin !== undefined && originOf(request.origin) !== own)
    return refusal(request, `Origin: ${request.origin.slice(0, 200)}`, own);
  return null;
}

/** `http://name[:port]` as browsers write the origin of a page served at this Host. */
function ownOrigin(host: string): string | null {
  const parsed = parseHostHeader(host);
  if (parsed === null) return null;
  return `http://${parsed.name}${parsed.port === 80 ? "" : `:${parsed.port}`}`;
}

/** The origin an `Origin` header names, normalised; null for `null` (sandboxed or file: pages) and garbage. */
function originOf(header: string): string | null {
  const text = header.trim();
  if (text === "null") return null;
  try {
    const url = new URL(text);
    return url.origin === "null" ? null : url.origin;
  } catch {
    return null;
  }
}

function refusal(request: BrowserHeaders, evidence: string, own: string | null): string {
  return (
    `${request.method.toUpperCase()} refused: it comes from a web page of another origin (${evidence}), ` +
    `and this server trusts this machine without a key, so only its own pages` +
    `${own === null ? "" : ` (${own})`} may change data. The SDK, the CLI and scripts send no ` +
    `Origin header and are not affected`
  );
}
