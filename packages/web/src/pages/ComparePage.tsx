/**
 * Compare two or more runs (`?runs=id1,id2,…`): metadata, config and summary side by side,
 * only the differences by default (`&all=1` shows every row), a key filter (`&q=`).
 */
import { useMemo } from "react";
import { Link, useLocation, useSearch } from "wouter";
import type { RunDto } from "@stepwise/protocol";
import { compareSections } from "../lib/run-diff.js";
import { decodeRouteParam } from "../lib/route-param.js";
import { CompareTable } from "../components/compare/CompareTable.js";
import { useCompareRuns } from "../components/compare/useCompareRuns.js";
import { EmptyState } from "../components/status/EmptyState.js";
import { Loading } from "../components/status/Loading.js";
import "../styles/run.css";
import "../styles/compare.css";

export interface ComparePageProps {
  params: { entity?: string; project?: string };
}

export function ComparePage({ params }: ComparePageProps) {
  const entity = decodeRouteParam(params.entity);
  const project = decodeRouteParam(params.project);
  const search = useSearch();
  const [location, navigate] = useLocation();
  const query = useMemo(() => new URLSearchParams(search), [search]);
  const runIds = useMemo(() => parseRunIds(query.get("runs") ?? ""), [query]);
  const onlyDifferences = query.get("all") !== "1";
  const keyFilter = query.get("q") ?? "";
  const { runs, failures } = useCompareRuns(entity, project, runIds);
  const sections = useMemo(
    () => (runs === null ? [] : compareSections(runs, { onlyDifferences, keyFilter })),
    [runs, onlyDifferences, keyFilter],
  );
  const workspace = `/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`;
  const runHref = (run: RunDto) => `${workspace}/runs/${encodeURIComponent(run.id)}`;

  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(window.location.search);
    if (value === null || value === "") next.delete(name);
    else next.set(name, value);
    const text = next.toString().replaceAll("%2C", ",");
    navigate(text === "" ? location : `${location}?${text}`, { replace: true });
  };

  if (runIds.length < 2) {
    return (
      <EmptyState title="Pick two or more runs to compare">
        Select runs in the <Link href={workspace}>{project} workspace</Link> and press Compare, or list their
        ids in the address: <code>?runs=id1,id2</code>.
      </EmptyState>
    );
  }
  if (runs === null) return <Loading what={`${runIds.length} runs`} />;
  const failureBox = failures.length > 0 && (
    <div className="status-box status-error compare-failures" data-testid="error-state" role="alert">
      {failures.map((failure) => (
        <p key={failure.runId} className="status-text">
          {failure.message}
        </p>
      ))}
      {runs.length < 2 && (
        <p className="status-text compare-hint">
          Fewer than two runs are left to compare. Pick runs in the{" "}
          <Link href={workspace}>{project} workspace</Link> and press Compare.
        </p>
      )}
    </div>
  );
  if (runs.length < 2) return <div className="page compare-page">{failureBox}</div>;
  return (
    <div className="page compare-page">
      <div className="compare-toolbar">
        <Link href={workspace}>← {project}</Link>
        <h1>Compare {runs.length} runs</h1>
        <label className="compare-check">
          <input
            type="checkbox"
            data-testid="only-differences"
            checked={onlyDifferences}
            onChange={(e) => setParam("all", e.target.checked ? null : "1")}
          />
          Only differences
        </label>
        <input
          type="search"
          className="compare-filter"
          data-testid="compare-filter"
          placeholder="Filter keys…"
          aria-label="Filter keys"
          defaultValue={keyFilter}
          onChange={(e) => setParam("q", e.target.value)}
        />
      </div>
      {failureBox}
      <CompareTable
        runs={runs}
        sections={sections}
        runHref={runHref}
        onRemove={(runId) => setParam("runs", runIds.filter((id) => id !== runId).join(","))}
      />
    </div>
  );
}

/** Run ids from `runs=a,b,c`: trimmed, without empties or repeats. */
function parseRunIds(text: string): string[] {
  return [...new Set(text.split(",").map((id) => id.trim()))].filter((id) => id !== "");
}
