/**
 * What `stepwise sync` asks a server before it uploads: which server it is (its instance id,
 * from `GET /viewer`) and what it holds of the run (its stream counts, state, exit code, last
 * step and summary). Sync state is kept per server, and it is checked against these answers
 * rather than trusted: a server restored from an older backup keeps its id but lacks what was
 * sent since. Network failures and 5xx are retried, with backoff, until `giveUpAfterMs`.
 */
import type { RunRef } from "@stepwise/protocol";
import { Backoff } from "./backoff.js";
import { IngestClient, type Failure, type ServerRun, type ServerTarget } from "./ingest-client.js";

export interface ServerView {
  /** The server's instance id; `url:<base URL>` for a server too old to have one. */
  serverId: string;
  /** The run as the server has it; null when it has none. */
  run: ServerRun | null;
}

export type ServerViewResult = { ok: true; view: ServerView } | { ok: false; message: string };

export async function viewServer(
  target: ServerTarget,
  ref: RunRef,
  giveUpAfterMs: number,
  timeoutMs = 10_000,
): Promise<ServerViewResult> {
  const client = new IngestClient(target, ref, timeoutMs);
  const backoff = new Backoff(500, 5000);
  const started = Date.now();
  for (;;) {
    const failure = await tryView(client);
    if (!("kind" in failure)) return { ok: true, view: failure };
    if (failure.kind === "fatal") return { ok: false, message: `HTTP ${failure.status}: ${failure.message}` };
    if (Date.now() - started >= giveUpAfterMs)
      return { ok: false, message: `server not reachable at ${target.baseUrl} (${failure.reason})` };
    await new Promise((resolve) => setTimeout(resolve, backoff.nextDelayMs(failure.retryAfterMs)));
  }
}

/** The server's instance id alone (one `GET /viewer`, no retries); null when it does not answer. */
export async function serverIdOf(target: ServerTarget, timeoutMs = 10_000): Promise<string | null> {
  // The viewer names no run: the client's run is never used here.
  const viewer = await new IngestClient(target, { entity: "", project: "", runId: "" }, timeoutMs).viewer();
  return viewer.kind === "ok" ? viewer.serverId : null;
}

async function tryView(client: IngestClient): Promise<ServerView | Failure> {
  const viewer = await client.viewer();
  if (viewer.kind !== "ok") return viewer;
  const run = await client.lookup();
  if (run.kind === "found") return { serverId: viewer.serverId, run: run.run };
  if (run.kind === "missing") return { serverId: viewer.serverId, run: null };
  return run;
}
