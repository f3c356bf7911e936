/**
 * The `Api` client's one door to the server: JSON requests decoded with the protocol's zod
 * schemas, streamed bodies for NDJSON history and file downloads, the bearer key, a time limit
 * per request, a couple of retries for reads, and every failure as a catalogued StepwiseError.
 */
import { CorruptDataError, parseExtended, stringifyExtended } from "@stepwise/protocol";
import { answerText, httpCall, type HttpAnswer } from "../files/http-call.js";
import type { ApiConnection } from "./api-connection.js";
import { errorFromResponse, unavailableError } from "./api-error.js";

/** Anything with zod's `parse`: the protocol's schemas, without the SDK importing zod itself. */
export interface Decoder<T> {
  parse(value: unknown): T;
}

export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as extended JSON (summaries may hold NaN). */
  body?: unknown;
  /** The Accept header; default application/json. */
  accept?: string;
}

/** 30 s: a series query over many runs can take seconds on a busy server; longer means it is gone. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Reads are retried on a dropped connection or a 502/503/504, after these pauses. */
const RETRY_PAUSES_MS = [250, 1000];

export class ApiHttp {
  readonly baseUrl: string;
  readonly #apiKey: string | null;
  readonly #timeoutMs: number;

  constructor(connection: ApiConnection, timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.baseUrl = connection.baseUrl;
    this.#apiKey = connection.apiKey;
    this.#timeoutMs = timeoutMs;
  }

  /** A JSON request whose (extended-JSON) response body is decoded with `decoder`. */
  async json<T>(method: string, path: string, decoder: Decoder<T>, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const what = `${method} ${path}`;
    const text = await response.text();
    let value: unknown;
    try {
      value = parseExtended(text);
    } catch {
      throw new CorruptDataError(`${what}: the server's answer is not JSON: ${text.slice(0, 200)}`);
    }
    try {
      return decoder.parse(value);
    } catch (error) {
      throw new CorruptDataError(
        `${what}: the server's answer does not match this client's protocol (server and SDK versions differ?): ` +
          (error instanceof Error ? error.message : String(error)),
      );
    }
  }

  /**
   * Sends a request and resolves once the status is known and good; the body is left to read.
   * The time limit covers the wait for the headers, not a long stream that keeps flowing.
   */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const what = `${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      const pause = RETRY_PAUSES_MS[attempt];
      const retryable = method === "GET" && pause !== undefined;
      let response: Response;
      try {
        response = await this.#fetch(method, path, options);
      } catch (error) {
        if (retryable) {
          await sleep(pause);
          continue;
        }
        throw unavailableError(what, this.baseUrl, error);
      }
      if (response.ok) return response;
      if (retryable && [502, 503, 504].includes(response.status)) {
        await response.body?.cancel();
        await sleep(pause);
        continue;
      }
      throw errorFromResponse(response.status, await response.text().catch(() => ""), what);
    }
  }

  /**
   * A GET whose body is read as it arrives (the history's renderings), over node:http(s) instead
   * of fetch: receiving the 242 MB NDJSON history of a 1M-row run took 0.27–0.56 s of CPU
   * through fetch's web stream and 0.18–0.21 s through node:http (same process, alternating).
   * Retries, the time limit (for the headers, not the stream) and the errors are `send`'s.
   */
  async stream(path: string, options: Omit<RequestOptions, "body"> = {}): Promise<AsyncIterable<Uint8Array>> {
    const what = `GET ${path}`;
    const url = this.url(path, options.query).href;
    for (let attempt = 0; ; attempt++) {
      const pause = RETRY_PAUSES_MS[attempt];
      let answer: HttpAnswer;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new TimeoutError(this.#timeoutMs)), this.#timeoutMs);
      try {
        answer = await httpCall(this.target, {
          method: "GET",
          url,
          headers: { accept: options.accept ?? "application/json" },
          signal: controller.signal,
          idleTimeoutMs: 0, // as with fetch: no limit once the answer streams
        });
      } catch (error) {
        const cause: unknown = controller.signal.aborted ? controller.signal.reason : error;
        if (pause !== undefined) {
          await sleep(pause);
          continue;
        }
        throw unavailableError(what, this.baseUrl, cause);
      } finally {
        clearTimeout(timer);
      }
      if (answer.status >= 200 && answer.status < 300) return answer.body;
      if (pause !== undefined && [502, 503, 504].includes(answer.status)) {
        answer.body.resume();
        await sleep(pause);
        continue;
      }
      throw errorFromResponse(answer.status, await answerText(answer).catch(() => ""), what);
    }
  }

  /** The server and key, for file transfers that stream outside `send` (files/file-client.ts). */
  get target(): { baseUrl: string; apiKey: string | null } {
    return { baseUrl: this.baseUrl, apiKey: this.#apiKey };
  }

  url(path: string, query: Record<string, QueryValue> = {}): URL {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      url.searchParams.set(name, Array.isArray(value) ? value.join(",") : String(value));
    }
    return url;
  }

  async #fetch(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? "application/json" };
    if (this.#apiKey !== null) headers["authorization"] = `Bearer ${this.#apiKey}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = stringifyExtended(options.body);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutError(this.#timeoutMs)), this.#timeoutMs);
    try {
      return await fetch(this.url(path, options.query), {
        method,
        headers,
        signal: controller.signal,
        ...(body === undefined ? {} : { body }),
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
