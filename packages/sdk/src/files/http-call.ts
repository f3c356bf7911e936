/**
 * One HTTP exchange of the file channel on `node:http(s)`: a streamed request body with its
 * exact Content-Length (a part of a file read from disk as it is sent), a streamed response,
 * an idle limit rather than a total one (a 64 MiB part on a slow link takes long but never
 * stalls), and the caller's AbortSignal. A failed connection rejects with the system error.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import type { ServerTarget } from "../upload/server-target.js";

/** No byte either way for 60 s: the server or the link is gone. */
const IDLE_TIMEOUT_MS = 60_000;

export interface HttpCall {
  method: "GET" | "HEAD" | "POST" | "PUT";
  /** A path joined to the target's base URL (`/api/v1/…`), or an absolute URL. */
  url: string;
  headers?: Record<string, string>;
  /** A stream is sent as it is read; its length must be in `headers["content-length"]`. */
  body?: Buffer | Readable;
  signal?: AbortSignal | undefined;
  /** No byte either way for this long fails the call (default 60 s). */
  idleTimeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The response body, to read or to `resume()` away. */
  body: IncomingMessage;
}

/** The URL of a path on the target, or an absolute URL as it is. */
export function targetUrl(target: ServerTarget, url: string): URL {
  return /^https?:\/\//.test(url) ? new URL(url) : new URL(target.baseUrl + url);
}

export async function httpCall(target: ServerTarget, call: HttpCall): Promise<HttpAnswer> {
  try {
    return await exchange(target, call);
  } catch (error) {
    // A kept-alive connection the server closed just as it was reused fails before any answer;
    // a body we still hold (or none) is sent again once on a fresh connection, as Node's docs
    // advise. Every request of the channel is idempotent (declarations, offsets, batches).
    if (!(error instanceof ReusedSocketError) || !(call.body === undefined || Buffer.isBuffer(call.body)))
      throw error instanceof ReusedSocketError ? error.cause : error;
    return exchange(target, call);
  }
}

function exchange(target: ServerTarget, call: HttpCall): Promise<HttpAnswer> {
  const url = targetUrl(target, call.url);
  const headers: Record<string, string> = { ...call.headers };
  // The key goes only to the server it belongs to, never to a storage URL on another host.
  if (target.apiKey && url.origin === new URL(target.baseUrl).origin)
    headers["authorization"] = `Bearer ${target.apiKey}`;
  if (Buffer.isBuffer(call.body)) headers["content-length"] = String(call.body.length);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const idleMs = call.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const request = send(url, {
      method: call.method,
      headers,
      timeout: idleMs,
      ...(call.signal ? { signal: call.signal } : {}),
    });
    let answered = false;
    request.on("timeout", () => request.destroy(new IdleTimeoutError(idleMs)));
    request.on("error", (error) => {
      // After the answer, a body write cut by the server (it answered early) is no failure.
      if (answered) return;
      const reset =
        (error as NodeJS.ErrnoException).code === "ECONNRESET" || error.message === "socket hang up";
      reject(request.reusedSocket && reset && !call.signal?.aborted ? new ReusedSocketError(error) : error);
    });
    request.on("response", (response) => {
      answered = true;
      // A refusal of a request with a body (a part at the wrong offset, say) may come before the
      // server read the body, or without its reading it at all; the server then closes the
      // connection, so it must not carry another request.
      const refused = (response.statusCode ?? 0) >= 300 && call.body !== undefined;
      if (refused || !request.writableFinished) response.on("end", () => request.destroy());
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response });
    });
    const body = call.body;
    if (body === undefined || Buffer.isBuffer(body)) request.end(body);
    else {
      body.on("error", (error) => request.destroy(error));
      // An aborted or failed request lets go of the file it was reading.
      request.on("close", () => body.destroy());
      body.pipe(request);
    }
  });
}

/** A reset on a reused keep-alive connection before any answer: worth one more try. */
class ReusedSocketError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** The whole (small) response body as text. */
export async function answerText(answer: HttpAnswer): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of answer.body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** A header's single value. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

export class IdleTimeoutError extends Error {
  constructor(ms: number) {
    super(`no data moved for ${ms / 1000} s`);
    this.name = "TimeoutError";
  }
}
