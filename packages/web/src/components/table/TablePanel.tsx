/**
 * The panel of a table key (a `table-file` history value): a filter expression (applied on
 * Enter; one the server refuses is shown with its message and the last good one kept), group by
 * a column, columns shown or hidden, a step slider over the versions logged at several steps,
 * the runs' versions side by side, and export links (CSV, Parquet) with the filter and sort.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { RunRef, TableColumn, TableVersion } from "@stepwise/protocol";
import { listTables, tableExportUrl } from "../../api/structured-client.js";
import { readDottedValue } from "../../lib/dotted-value.js";
import { unionSteps, versionAt } from "../../lib/table-versions.js";
import type { ChartRun } from "../charts/chart-run.js";
import { RunTableView, type TableSettings } from "./RunTableView.js";
import { TableToolbar } from "./TableToolbar.js";
import type { TableSort } from "./TableGrid.js";
import "../../styles/structured.css";

/** Runs compared side by side at most: more columns of tables are unreadable. */
export const MAX_TABLE_RUNS = 4;

export interface TablePanelProps {
  tableKey: string;
  runs: readonly ChartRun[];
  warning?: string | null;
}

export function TablePanel({ tableKey, runs, warning }: TablePanelProps) {
  // Runs that logged the table (their summary holds it) first; the others have nothing to show.
  const holding = runs.filter(({ run }) => readDottedValue(run.summary, tableKey) !== undefined);
  const shown = (holding.length > 0 ? holding : runs).slice(0, MAX_TABLE_RUNS);
  const refs = useMemo(
    () => shown.map(({ run }) => ({ entity: run.entity, project: run.project, runId: run.id })),
    [shown.map(({ run }) => run.id).join(",")],
  );
  // A running run's new version shows up: its summary's value of the key changes with each log.
  const logged = shown.map(({ run }) => JSON.stringify(run.summary[tableKey] ?? null)).join("\u0001");
  const versions = useTableVersions(refs, tableKey, logged);
  const steps = useMemo(
    () => unionSteps([...versions.values()].map((list) => list.map((v) => v.step))),
    [versions],
  );
  const [stepIndex, setStepIndex] = useState<number | null>(null);
  const step =
    steps.length === 0 ? null : (steps[Math.min(stepIndex ?? steps.length - 1, steps.length - 1)] ?? null);
  const [settings, setSettings] = useState<TableSettings>({ where: "", sort: null, groupBy: "", hidden: [] });
  const [columns, setColumns] = useState<readonly TableColumn[]>([]);
  const [error, setError] = useState<string | null>(null);
  const onSchema = useCallback(
    (schema: readonly TableColumn[]) => setColumns((known) => (sameColumns(known, schema) ? known : schema)),
    [],
  );
  const onError = useCallback(
    (cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause)),
    [],
  );
  const applyFilter = (where: string): void => {
    setError(null);
    setSettings((s) => ({ ...s, where }));
  };
  const setSort = (sort: TableSort | null): void => setSettings((s) => ({ ...s, sort }));
  const first = refs[0];
  const stepsOf = (runId: string): number[] => (versions.get(runId) ?? []).map((v) => v.step);
  const exportStep = first === undefined ? null : versionAt(stepsOf(first.runId), step);
  const exportLinks =
    first === undefined || exportStep === null
      ? null
      : (["csv", "parquet"] as const).map((format) => ({
          format,
          url: tableExportUrl(first, {
            key: tableKey,
            step: exportStep,
            format,
            where: settings.where,
            sort: settings.sort === null ? "" : `${settings.sort.desc ? "-" : ""}${settings.sort.column}`,
            ...(settings.hidden.length === 0
              ? {}
              : { columns: columns.filter((c) => !settings.hidden.includes(c.name)).map((c) => c.name) }),
          }),
        }));

  return (
    <div className="chart-panel table-panel" data-testid="table-panel" data-key={tableKey}>
      <div className="chart-header">
        <span className="chart-title" title={tableKey}>
          {tableKey}
        </span>
      </div>
      {warning != null && (
        <p className="kind-warning" data-testid="kind-warning">
          {warning}
        </p>
      )}
      <TableToolbar
        where={settings.where}
        onFilter={applyFilter}
        error={error}
        columns={columns}
        groupBy={settings.groupBy}
        onGroupBy={(groupBy) => setSettings((s) => ({ ...s, groupBy }))}
        hidden={settings.hidden}
        onHidden={(hidden) => setSettings((s) => ({ ...s, hidden }))}
        steps={steps}
        stepIndex={step === null ? 0 : steps.indexOf(step)}
        onStepIndex={setStepIndex}
        exportLinks={exportLinks}
      />
      {step === null ? (
        <div className="chart-placeholder">
          {versions.size === 0 ? "Loading…" : "No stored version of this table yet"}
        </div>
      ) : (
        <div className={refs.length > 1 ? "table-compare" : undefined} data-testid="table-compare">
          {shown.map(({ run, color }) => {
            const ref = refs.find((r) => r.runId === run.id) as RunRef;
            const at = versionAt(stepsOf(run.id), step);
            return (
              <div key={run.id} className="table-compare-run">
                {refs.length > 1 && (
                  <div className="heatmap-run" style={{ borderColor: color }}>
                    {run.name}
                    {at !== null && at !== step && <span className="muted"> (step {at})</span>}
                  </div>
                )}
                {at === null ? (
                  <div className="chart-placeholder">No version at or before step {step}</div>
                ) : (
                  <RunTableView
                    run={ref}
                    tableKey={tableKey}
                    step={at}
                    settings={settings}
                    onSort={setSort}
                    onSchema={onSchema}
                    onError={onError}
                    height={refs.length > 1 ? 320 : 380}
                  />
                )}
              </div>
            );
          })}
        </div>
      )}
      {holding.length > shown.length && (
        <p className="chart-note">
          The first {shown.length} of {holding.length} runs side by side; hide runs to compare others.
        </p>
      )}
    </div>
  );
}

/** Each run's stored versions of the key (ready ones), by run id. */
function useTableVersions(
  refs: readonly RunRef[],
  key: string,
  logged: string,
): ReadonlyMap<string, TableVersion[]> {
  const [versions, setVersions] = useState<ReadonlyMap<string, TableVersion[]>>(new Map());
  useEffect(() => {
    const controller = new AbortController();
    void Promise.all(
      refs.map(async (ref) => {
        const tables = await listTables(ref, controller.signal).catch(() => []);
        const found = tables.find((t) => t.key === key)?.versions ?? [];
        return [ref.runId, found.filter((v) => v.state === "ready")] as const;
      }),
    ).then((entries) => {
      if (!controller.signal.aborted) setVersions(new Map(entries));
    });
    return () => controller.abort();
  }, [refs, key, logged]);
  return versions;
}

function sameColumns(a: readonly TableColumn[], b: readonly TableColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]?.name && c.type === b[i]?.type);
}
