/**
 * The run page: overview (name, notes and tags editable), config and summary tables, the run's
 * charts and its files. The run is re-read every 2 s while it runs.
 */
import { useEffect, useMemo } from "react";
import { Link } from "wouter";
import type { RunRef } from "@stepwise/protocol";
import { ApiError } from "../api/client.js";
import { decodeRouteParam } from "../lib/route-param.js";
import { FilesTab } from "../components/run/FilesTab.js";
import { QuarantineWarning } from "../components/run/QuarantineWarning.js";
import { RunCharts } from "../components/run/RunCharts.js";
import { LogsTab } from "../components/logs/LogsTab.js";
import { SystemSection } from "../components/system/SystemSection.js";
import { runColor } from "../lib/run-colors.js";
import { AlertsSection } from "../components/alerts/AlertsSection.js";
import { alertPaths } from "@stepwise/protocol";
import { RunMediaSection } from "../components/media/RunMediaSection.js";
import { RunPresetSection } from "../components/charts/vega/RunPresetSection.js";
import { RunNotFound } from "../components/run/RunNotFound.js";
import { RunArtifactsSection } from "../components/artifacts/RunArtifactsSection.js";
import { RunOverview } from "../components/run/RunOverview.js";
import { ValuesTable } from "../components/run/ValuesTable.js";
import { useRun } from "../components/run/useRun.js";
import { useRunEditor } from "../components/run/useRunEditor.js";
import { useRunFiles } from "../components/run/useRunFiles.js";
import { ErrorState } from "../components/status/ErrorState.js";
import { Loading } from "../components/status/Loading.js";
import "../styles/run.css";
import "../styles/files.css";
import "../styles/artifacts.css";

export interface RunPageProps {
  params: { entity?: string; project?: string; runId?: string };
}

export function RunPage({ params }: RunPageProps) {
  const entity = decodeRouteParam(params.entity);
  const project = decodeRouteParam(params.project);
  const runId = decodeRouteParam(params.runId);
  const ref = useMemo<RunRef>(() => ({ entity, project, runId }), [entity, project, runId]);
  const resource = useRun(ref);
  const { run, error, refreshError, reload } = resource;
  const save = useRunEditor(ref, resource);
  // One file list for the Files tab and the quarantine warning.
  const runFiles = useRunFiles(ref, run?.state);
  const runName = run?.name;
  const systemRuns = useMemo(() => (run === null ? [] : [{ run, color: runColor(run) }]), [run]);

  useEffect(() => {
    document.title = `${runName ?? runId} · ${project} · Stepwise`;
  }, [runName, runId, project]);

  if (run === null) {
    if (error instanceof ApiError && error.status === 404) {
      return <RunNotFound entity={entity} project={project} runId={runId} />;
    }
    if (error !== null) return <ErrorState error={error} onRetry={reload} />;
    return <Loading what="run" />;
  }
  const workspace = `/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`;
  return (
    <div className="page run-page">
      <nav className="run-nav" aria-label="Run sections">
        <Link href={workspace}>← {project}</Link>
        <a href="#overview">Overview</a>
        <a href="#config">Config</a>
        <a href="#summary">Summary</a>
        <a href="#charts">Charts</a>
        <a href="#media">Media</a>
        <a href="#system">System</a>
        <a href="#logs">Logs</a>
        <a href="#files">Files</a>
        <a href="#artifacts">Artifacts</a>
        {refreshError !== null && (
          <span className="inline-error" role="status">
            Live updates paused:{" "}
            {refreshError instanceof Error ? refreshError.message : "the server did not answer"}
          </span>
        )}
      </nav>
      <QuarantineWarning runRef={ref} files={runFiles.files} />
      <RunOverview run={run} save={save} />
      <AlertsSection path={alertPaths.run(ref)} showRun={false} title="Alerts" />
      <div className="values-grid">
        <ValuesTable
          title="Config"
          testId="config-table"
          values={run.config}
          empty="No config. Pass one to init({ config }) or run.config.update()."
        />
        <ValuesTable
          title="Summary"
          testId="summary-table"
          values={run.summary}
          empty="No summary yet. It fills in as the run logs metrics."
        />
      </div>
      <RunCharts run={run} />
      <RunMediaSection run={run} />
      <RunPresetSection run={run} />
      <SystemSection runs={systemRuns} />
      <LogsTab runRef={ref} run={run} />
      <FilesTab runRef={ref} runFiles={runFiles} />
      <RunArtifactsSection runRef={ref} runState={run.state} />
    </div>
  );
}
