/**
 * A project's Artifacts section: its collections grouped by type (`dataset`, `model`, …), each
 * with its version count, newest version, the bytes its live versions store (each file's content
 * once; the listed sum in the tooltip) and last update, linked to the newest version's page; the
 * project's stored total under the title (content collections share counted once).
 */
import { useEffect, useMemo } from "react";
import { Link, useParams } from "wouter";
import {
  getArtifactStorage,
  listArtifactCollections,
  type ArtifactCollection,
} from "../api/artifact-client.js";
import { useLoaded } from "../components/artifacts/useLoaded.js";
import { useNow } from "../components/run/useNow.js";
import { EmptyState } from "../components/status/EmptyState.js";
import { ErrorState } from "../components/status/ErrorState.js";
import { Loading } from "../components/status/Loading.js";
import { workspacePath } from "../lib/app-paths.js";
import { artifactVersionPath } from "../lib/artifact-paths.js";
import { decodeRouteParam } from "../lib/route-param.js";
import { formatBytes } from "../lib/run-meta.js";
import { formatDateTime, formatRelativeTime } from "../lib/time-format.js";
import "../styles/run.css";
import "../styles/artifacts.css";

export function ArtifactsPage() {
  const params = useParams<{ entity: string; project: string }>();
  const entity = decodeRouteParam(params.entity);
  const project = decodeRouteParam(params.project);
  const collections = useLoaded(`${entity}/${project}`, (signal) =>
    listArtifactCollections(entity, project, signal),
  );
  // Storage is extra: the page shows without it when it cannot be read.
  const storage = useLoaded(`${entity}/${project}`, (signal) => getArtifactStorage(entity, project, signal));
  const stored = useMemo(
    () => new Map((storage.data?.collections ?? []).map((c) => [c.name, c])),
    [storage.data],
  );
  const now = useNow(false);
  const byType = useMemo(() => groupByType(collections.data ?? []), [collections.data]);

  useEffect(() => {
    document.title = `Artifacts · ${project} · Stepwise`;
  }, [project]);

  return (
    <div className="page artifacts-page" data-testid="artifacts-page">
      <nav className="run-nav" aria-label="Project sections">
        <Link href={workspacePath(entity, project)}>← {project}</Link>
      </nav>
      <h1 className="artifacts-title">Artifacts</h1>
      {storage.data !== null && storage.data.collections.length > 0 && (
        <p
          className="muted"
          data-testid="artifact-storage-total"
          title={`${storage.data.bytes} bytes stored; versions list ${storage.data.logicalBytes} bytes`}
        >
          {formatBytes(storage.data.bytes)} stored ({formatBytes(storage.data.logicalBytes)} listed by
          versions; files shared by versions or collections are stored once)
        </p>
      )}
      {collections.data === null && collections.error !== null && (
        <ErrorState error={collections.error} onRetry={collections.reload} />
      )}
      {collections.data === null && collections.error === null && <Loading what="artifacts" />}
      {collections.data !== null && collections.data.length === 0 && (
        <EmptyState title={`No artifacts yet in ${entity}/${project}`}>
          <p>
            Datasets, models and other versioned files show here once a run logs them (
            <code>{'await run.logArtifact("./data", { name: "mnist", type: "dataset" })'}</code>) or{" "}
            <code>{`stepwise artifact put ./data --name ${entity}/${project}/mnist --type dataset`}</code>{" "}
            does.
          </p>
        </EmptyState>
      )}
      {[...byType].map(([type, rows]) => (
        <section className="files-card" key={type} data-testid="artifact-type" data-type={type}>
          <div className="card-head">
            <h2>{type}</h2>
            <span className="muted count">
              {rows.length} {rows.length === 1 ? "collection" : "collections"}
            </span>
          </div>
          <table className="artifact-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th className="num">Versions</th>
                <th>Latest</th>
                <th className="num">Stored</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.name} data-testid="artifact-collection" data-name={row.name}>
                  <td className="artifact-mono">
                    {row.latest === null ? (
                      row.name
                    ) : (
                      <Link href={artifactVersionPath(entity, project, row.name, row.latest)}>
                        {row.name}
                      </Link>
                    )}
                  </td>
                  <td>{row.type}</td>
                  <td className="num" data-testid="artifact-version-count">
                    {row.versionCount}
                  </td>
                  <td className="artifact-mono" data-testid="artifact-latest">
                    {row.latest ?? "–"}
                  </td>
                  <StoredCell usage={stored.get(row.name)} />
                  <td className="muted" title={formatDateTime(row.updatedAt)}>
                    {formatRelativeTime(row.updatedAt, now)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

function StoredCell({ usage }: { usage: { bytes: number; logicalBytes: number } | undefined }) {
  if (usage === undefined) return <td className="num muted">–</td>;
  return (
    <td
      className="num"
      data-testid="artifact-stored"
      title={`${usage.bytes} bytes stored; its versions list ${usage.logicalBytes} bytes`}
    >
      {formatBytes(usage.bytes)}
    </td>
  );
}

/** Collections by type, types and names in alphabetical order. */
function groupByType(collections: readonly ArtifactCollection[]): Map<string, ArtifactCollection[]> {
  const sorted = [...collections].sort(
    (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
  );
  const groups = new Map<string, ArtifactCollection[]>();
  for (const row of sorted) groups.set(row.type, [...(groups.get(row.type) ?? []), row]);
  return groups;
}
