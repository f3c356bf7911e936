/**
 * The embeddable, read-only view of a run (`run.toHtml()` / `run.display()` put it in an iframe):
 * its name and state, its summary and its charts, without the app's header or editing. The server
 * lets other origins frame this path only (http/frame-headers.ts). Re-read every 2 s while running.
 * The embed token in its URL (`?embed_token=`, made by the SDK) is sent on every API request, so a
 * server that needs API keys shows the run to readers without one; a missing, expired or broken
 * token gets a message saying so and how to make a fresh embed.
 */
import { useEffect, useMemo } from "react";
import { EMBED_TOKEN_QUERY, type RunRef } from "@stepwise/protocol";
import { ApiError, setEmbedToken } from "../api/client.js";
import { decodeRouteParam } from "../lib/route-param.js";
import { RunCharts } from "../components/run/RunCharts.js";
import { ValuesTable } from "../components/run/ValuesTable.js";
import { useRun } from "../components/run/useRun.js";
import { StateBadge } from "../components/StateBadge.js";
import { ErrorState } from "../components/status/ErrorState.js";
import { Loading } from "../components/status/Loading.js";
import "../styles/run.css";
import "../styles/alerts.css";

export interface EmbedRunPageProps {
  params: { entity?: string; project?: string; runId?: string };
}

export function EmbedRunPage({ params }: EmbedRunPageProps) {
  const entity = decodeRouteParam(params.entity);
  const project = decodeRouteParam(params.project);
  const runId = decodeRouteParam(params.runId);
  const ref = useMemo<RunRef>(() => ({ entity, project, runId }), [entity, project, runId]);
  // Set during render, before any effect of the page sends a request.
  const token = new URLSearchParams(window.location.search).get(EMBED_TOKEN_QUERY);
  setEmbedToken(token);
  const { run, error, reload } = useRun(ref);
  useEffect(() => {
    document.title = `${run?.name ?? runId} · ${project} · Stepwise`;
  }, [run?.name, runId, project]);
  if (run === null) {
    if (error instanceof ApiError && error.status === 404)
      return <p className="embed-run">No run {`${entity}/${project}/${runId}`} on this server.</p>;
    if (error instanceof ApiError && (error.status === 401 || (error.status === 403 && token !== null)))
      return <EmbedTokenProblem error={error} token={token} />;
    if (error !== null) return <ErrorState error={error} onRetry={reload} />;
    return <Loading what="run" />;
  }
  const href = `/${encodeURIComponent(entity)}/${encodeURIComponent(project)}/runs/${encodeURIComponent(runId)}`;
  return (
    <div className="embed-run" data-testid="embed-run">
      <div className="embed-run-head">
        <a href={href} target="_blank" rel="noreferrer" data-testid="embed-run-name">
          <strong>{run.name}</strong>
        </a>
        <span>
          {entity}/{project}
        </span>
        <StateBadge state={run.state} />
      </div>
      <ValuesTable title="Summary" testId="summary-table" values={run.summary} empty="No summary yet." />
      <RunCharts run={run} />
    </div>
  );
}

/**
 * Why the server refused the embed: no token (a server that needs keys), an expired one, a
 * broken one, or one made for another run (403).
 */
function EmbedTokenProblem({ error, token }: { error: ApiError; token: string | null }) {
  const fresh = "Make a fresh embed with run.toHtml() or run.display() in the SDK (with an API key).";
  const expiresAt = error.details["expiresAt"];
  let text: string;
  let kind: string;
  if (error.status === 403) {
    kind = "forbidden";
    text = `This embed's token does not let it show this run: ${error.message}`;
  } else if (token === null) {
    kind = "needs-token";
    text = `This server needs an embed token to show a run to readers without an API key, and this embed has none. ${fresh}`;
  } else if (error.details["reason"] === "expired") {
    kind = "expired";
    const when = typeof expiresAt === "number" ? ` on ${new Date(expiresAt * 1000).toLocaleString()}` : "";
    text = `This embedded run's token expired${when}. ${fresh}`;
  } else {
    kind = "invalid";
    text = `This embedded run's token is not accepted: ${error.message}`;
  }
  return (
    <p
      className="embed-run embed-token-problem"
      data-testid="embed-token-problem"
      data-kind={kind}
      role="alert"
    >
      {text}
    </p>
  );
}
