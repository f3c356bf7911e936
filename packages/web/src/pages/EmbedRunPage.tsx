/**
 * The embeddable, read-only view of a run (`run.toHtml()` / `run.display()` put it in an iframe):
 * its name and state, its summary and its charts, without the app's header or editing. The server
 * lets other origins frame this path only (http/frame-headers.ts). Re-read every 2 s while running.
 */
import { useEffect, useMemo } from "react";
import type { RunRef } from "@stepwise/protocol";
import { ApiError } from "../api/client.js";
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
  const { run, error, reload } = useRun(ref);
  useEffect(() => {
    document.title = `${run?.name ?? runId} · ${project} · Stepwise`;
  }, [run?.name, runId, project]);
  if (run === null) {
    if (error instanceof ApiError && error.status === 404)
      return <p className="embed-run">No run {`${entity}/${project}/${runId}`} on this server.</p>;
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
