/**
 * Talks to the server for one run: POSTs ingest batches (extended JSON, gzip above 1 KiB) and
 * looks the run up. Every outcome is a value, never a throw: ok, an offset gap, retry
 * (network errors, timeouts, 5xx, 408, 429) or fatal (any other 4xx: retrying cannot help).
 * Uses the global `fetch`, so the SDK keeps no HTTP dependency.
 */
import { promisify } from "node:util";
import { answerText, headerValue, httpCall, type HttpCall } from "../files/http-call.js";
import type { ServerTarget } from "./server-target.js";
import { gzip } from "node:zlib";
import {
  apiPaths,
  encodePackedIngest,
  ingestResponseSchema,
  PACKED_INGEST_CONTENT_TYPE,
  parseExtended,
  stringifyExtended,
  type IngestBatch,
  type IngestResponse,
  type RunRef,
  type StreamName,
  type StreamOffsets,
} from "@stepwise/protocol";

const gzipAsync = promisify(gzip);
const COMPRESS_ABOVE_BYTES = 1024;

export type { ServerTarget } from "./server-target.js";

export type Failure =
  | { kind: "retry"; reason: string; unreachable: boolean; retryAfterMs: number | null }
  | { kind: "fatal"; status: number; message: string; code?: string };

export type SendResult =
  | { kind: "ok"; response: IngestResponse }
  | { kind: "gap"; stream: StreamName | null; expected: number | null }
  | Failure;

/** What resuming, gap recovery and `stepwise sync` need of the stored run. */
export interface ServerRun {
  name: string;
  state: string;
  exitCode: number | null;
  lastStep: number | null;
  summary: Record<string, unknown>;
  config: Record<string, unknown>;
  tags: string[];
  offsets: StreamOffsets;
}

export type LookupResult = { kind: "found"; run: ServerRun } | { kind: "missing" } | Failure;

/** The server's instance id (`GET /viewer`); `url:<base URL>` for a server too old to have one. */
export type ViewerResult = { kind: "ok"; serverId: string } | Failure;

export interface EncodedBatch {
  body: Buffer;
  contentType: string;
  gzipped: boolean;
}

/**
 * Serialises a batch: JSON, or a packed body when it carries history rows (they travel in the
 * run log's binary row layout, so no number is formatted or parsed on the way). Compression runs
 * on the thread pool so it overlaps other work; a server on this machine gets the body
 * uncompressed: gzip would only spend CPU that the server needs.
 */
export async function encodeBatch(
  batch: IngestBatch,
  history: { offset: number; packed: Uint8Array } | null,
  target: ServerTarget,
): Promise<EncodedBatch> {
  const packed = history !== null;
  const body = packed
    ? Buffer.from(encodePackedIngest(batch, history).buffer)
    : Buffer.from(stringifyExtended(batch), "utf8");
  const contentType = packed ? PACKED_INGEST_CONTENT_TYPE : "application/json";
  if (body.length < COMPRESS_ABOVE_BYTES || isLoopback(target.baseUrl))
    return { body, contentType, gzipped: false };
  return { body: await gzipAsync(body, { level: 1 }), contentType, gzipped: true };
}

function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export class IngestClient {
  constructor(
    private readonly target: ServerTarget,
    private readonly ref: RunRef,
    private readonly timeoutMs = 60_000,
  ) {}

  async send(batch: EncodedBatch): Promise<SendResult> {
    const headers: Record<string, string> = { "content-type": batch.contentType };
    if (batch.gzipped) headers["content-encoding"] = "gzip";
    const answer = await this.request(apiPaths.ingest(this.ref), {
      method: "POST",
      headers,
      body: batch.body,
    });
    if ("kind" in answer) return answer;
    if (answer.status === 409) {
      const details = errorDetails(answer.body);
      if (details.code === "OFFSET_GAP") {
        const stream = typeof details.stream === "string" ? (details.stream as StreamName) : null;
        const expected = typeof details.expected === "number" ? details.expected : null;
        return { kind: "gap", stream, expected };
      }
    }
    if (answer.status >= 300) return classify(answer.status, answer.body, answer.retryAfterMs);
    const parsed = ingestResponseSchema.safeParse(answer.body);
    if (!parsed.success)
      return { kind: "fatal", status: answer.status, message: "unexpected ingest response" };
    return { kind: "ok", response: parsed.data };
  }

  async lookup(): Promise<LookupResult> {
    const answer = await this.request(apiPaths.run(this.ref), { method: "GET", headers: {} });
    if ("kind" in answer) return answer;
    if (answer.status === 404) return { kind: "missing" };
    if (answer.status >= 300) return classify(answer.status, answer.body, answer.retryAfterMs);
    const run = toServerRun(answer.body);
    return run ? { kind: "found", run } : { kind: "fatal", status: answer.status, message: "unexpected run" };
  }

  async viewer(): Promise<ViewerResult> {
    const answer = await this.request(apiPaths.viewer(), { method: "GET", headers: {} });
    if ("kind" in answer) return answer;
    if (answer.status >= 300) return classify(answer.status, answer.body, answer.retryAfterMs);
    const serverId = (answer.body as { serverId?: unknown } | null)?.serverId;
    return { kind: "ok", serverId: typeof serverId === "string" ? serverId : `url:${this.target.baseUrl}` };
  }

  private async request(
    path: string,
    init: { method: HttpCall["method"]; headers: Record<string, string>; body?: Buffer },
  ): Promise<{ status: number; body: unknown; retryAfterMs: number | null } | Failure> {
    try {
      // On node:http rather than fetch: Node 20's fetch could leave a POST pending forever,
      // with no socket left, when the server died while the body was being written (a server
      // SIGKILLed mid-request stalled that run's upload until the request timeout).
      const response = await httpCall(this.target, {
        method: init.method,
        url: path,
        headers: init.headers,
        ...(init.body ? { body: init.body } : {}),
        idleTimeoutMs: this.timeoutMs,
      });
      const text = await answerText(response);
      let body: unknown = null;
      try {
        body = text === "" ? null : parseExtended(text);
      } catch {
        body = text;
      }
      const retryAfter = Number(headerValue(response.headers, "retry-after"));
      return {
        status: response.status,
        body,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      };
    } catch (error) {
      const reason = error instanceof Error ? describeNetworkError(error) : String(error);
      return { kind: "retry", reason, unreachable: true, retryAfterMs: null };
    }
  }
}

/** Sorts a non-2xx answer: retry (5xx, 408, 429) or fatal (any other 4xx, with its catalogued code); shared with the file channel. */
export function classify(status: number, body: unknown, retryAfterMs: number | null): Failure {
  const message = errorMessage(body) ?? `HTTP ${status}`;
  if (status >= 500 || status === 408 || status === 429)
    return { kind: "retry", reason: `${status} ${message}`, unreachable: false, retryAfterMs };
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === "string"
    ? { kind: "fatal", status, message, code }
    : { kind: "fatal", status, message };
}

function errorDetails(body: unknown): Record<string, unknown> {
  const error = (body as { error?: { code?: unknown; details?: unknown } } | null)?.error;
  const details = typeof error?.details === "object" && error.details !== null ? error.details : {};
  return { ...(details as Record<string, unknown>), code: error?.code };
}

function errorMessage(body: unknown): string | null {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === "string" ? message : null;
}

function describeNetworkError(error: Error): string {
  if (error.name === "TimeoutError") return "request timed out";
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" ? code : error.message;
}

/** Accepts the run as the body or under `run`; picks only the fields the uploader needs. */
function toServerRun(body: unknown): ServerRun | null {
  const raw = (body as { run?: unknown } | null)?.run ?? body;
  if (typeof raw !== "object" || raw === null) return null;
  const run = raw as Record<string, unknown>;
  const offsets = run["offsets"] as Partial<StreamOffsets> | undefined;
  const count = (n: unknown): number => (typeof n === "number" ? n : 0);
  const object = (v: unknown): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  return {
    name: typeof run["name"] === "string" ? run["name"] : "",
    state: typeof run["state"] === "string" ? run["state"] : "",
    exitCode: typeof run["exitCode"] === "number" ? run["exitCode"] : null,
    lastStep: typeof run["lastStep"] === "number" ? run["lastStep"] : null,
    summary: object(run["summary"]),
    config: object(run["config"]),
    tags: Array.isArray(run["tags"]) ? run["tags"].filter((t): t is string => typeof t === "string") : [],
    offsets: {
      history: count(offsets?.history),
      events: count(offsets?.events),
      console: count(offsets?.console),
      meta: count(offsets?.meta),
    },
  };
}
