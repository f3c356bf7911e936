/**
 * What `stepwise sync` asks a server before it uploads: which server it is (its instance id,
 * from `GET /viewer`) and what it holds of the run (`GET` the run: stream counts, state, exit
 * code). Sync state is kept per server, and it is checked against these answers rather than
 * trusted: a server restored from an older backup keeps its id but lacks what was sent since.
 * Network failures and 5xx are retried until `giveUpAfterMs`.
 */
import { apiPaths, parseExtended, type RunRef, type StreamOffsets } from "@stepwise/protocol";
import type { ServerTarget } from "./ingest-client.js";

export interface ServerRunView {
  offsets: StreamOffsets;
  state: string;
  exitCode: number | null;
  /** Largest stored `_step`; null before the first row. */
  lastStep: number | null;
  summary: Record<string, unknown>;
}

export interface ServerView {
  /** The server's instance id; `url:<base URL>` for a server too old to have one. */
  serverId: string;
  /** The run as the server has it; null when it has none. */
  run: ServerRunView | null;
}

export type ServerViewResult = { ok: true; view: ServerView } | { ok: false; message: string };

export async function viewServer(
  target: ServerTarget,
  ref: RunRef,
  giveUpAfterMs: number,
  timeoutMs = 10_000,
): Promise<ServerViewResult> {
  const started = Date.now();
  let delay = 500;
  for (;;) {
    const answer = await tryView(target, ref, timeoutMs);
    if (answer.kind === "done") return { ok: true, view: answer.view };
    if (answer.kind === "refused") return { ok: false, message: answer.message };
    if (Date.now() - started >= giveUpAfterMs)
      return { ok: false, message: `server not reachable at ${target.baseUrl} (${answer.reason})` };
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(5000, delay * 2);
  }
}

/** The server's instance id alone (one `GET /viewer`, no retries); null when it does not answer. */
export async function serverIdOf(target: ServerTarget, timeoutMs = 10_000): Promise<string | null> {
  const viewer = await getJson(target, apiPaths.viewer(), timeoutMs);
  if (viewer.kind !== "ok") return null;
  const serverId = (viewer.body as { serverId?: unknown } | null)?.serverId;
  return typeof serverId === "string" ? serverId : `url:${target.baseUrl}`;
}

type Attempt =
  | { kind: "done"; view: ServerView }
  | { kind: "retry"; reason: string }
  | { kind: "refused"; message: string };

async function tryView(target: ServerTarget, ref: RunRef, timeoutMs: number): Promise<Attempt> {
  const viewer = await getJson(target, apiPaths.viewer(), timeoutMs);
  if (viewer.kind !== "ok") return viewer;
  const serverId = (viewer.body as { serverId?: unknown } | null)?.serverId;
  const run = await getJson(target, apiPaths.run(ref), timeoutMs);
  if (run.kind !== "ok" && !(run.kind === "refused" && run.status === 404)) return run;
  return {
    kind: "done",
    view: {
      serverId: typeof serverId === "string" ? serverId : `url:${target.baseUrl}`,
      run: run.kind === "ok" ? toRunView(run.body) : null,
    },
  };
}

type Fetched =
  | { kind: "ok"; body: unknown }
  | { kind: "retry"; reason: string }
  | { kind: "refused"; status: number; message: string };

async function getJson(target: ServerTarget, path: string, timeoutMs: number): Promise<Fetched> {
  const headers: Record<string, string> = {};
  if (target.apiKey) headers["authorization"] = `Bearer ${target.apiKey}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(target.baseUrl + path, { headers, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    return { kind: "retry", reason: typeof cause === "string" ? cause : String(error) };
  }
  if (response.status >= 500 || response.status === 408 || response.status === 429)
    return { kind: "retry", reason: `HTTP ${response.status}` };
  if (response.status >= 300) {
    let message = text;
    try {
      message = (parseExtended(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // not JSON: the text itself
    }
    return { kind: "refused", status: response.status, message: `HTTP ${response.status}: ${message}` };
  }
  try {
    return { kind: "ok", body: text === "" ? null : parseExtended(text) };
  } catch {
    return { kind: "refused", status: response.status, message: `unexpected answer from ${path}` };
  }
}

function toRunView(body: unknown): ServerRunView | null {
  const raw = (body as { run?: unknown } | null)?.run ?? body;
  if (typeof raw !== "object" || raw === null) return null;
  const run = raw as Record<string, unknown>;
  const offsets = (run["offsets"] ?? {}) as Partial<StreamOffsets>;
  const count = (n: unknown): number => (typeof n === "number" ? n : 0);
  return {
    offsets: {
      history: count(offsets.history),
      events: count(offsets.events),
      console: count(offsets.console),
      meta: count(offsets.meta),
    },
    state: typeof run["state"] === "string" ? run["state"] : "",
    exitCode: typeof run["exitCode"] === "number" ? run["exitCode"] : null,
    lastStep: typeof run["lastStep"] === "number" ? run["lastStep"] : null,
    summary: isPlainObject(run["summary"]) ? run["summary"] : {},
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
