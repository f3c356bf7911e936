/**
 * An entity's registries (`/<entity>/-/registry`): each registry with its collections (type,
 * number of linked versions, latest), each opening the collection's page.
 */
import { useEffect } from "react";
import { Link, useParams } from "wouter";
import { listRegistries, listRegistryCollections } from "../api/registry-client.js";
import { useLoaded } from "../components/artifacts/useLoaded.js";
import { ErrorState } from "../components/status/ErrorState.js";
import { Loading } from "../components/status/Loading.js";
import { registryCollectionPath } from "../lib/registry-paths.js";
import { decodeRouteParam } from "../lib/route-param.js";
import { formatDateTime } from "../lib/time-format.js";
import "../styles/run.css";
import "../styles/artifacts.css";
import "../styles/registry.css";

function RegistryCollections({ entity, registry }: { entity: string; registry: string }) {
  const collections = useLoaded(`${entity}/${registry}`, (signal) =>
    listRegistryCollections(entity, registry, signal),
  );
  if (collections.error !== null)
    return <ErrorState error={collections.error} onRetry={collections.reload} />;
  if (collections.data === null) return <Loading what="collections" />;
  return (
    <table className="artifact-table">
      <thead>
        <tr>
          <th>Collection</th>
          <th>Type</th>
          <th className="num">Versions</th>
          <th>Latest</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {collections.data.map((c) => (
          <tr key={c.name} data-testid="registry-collection-row">
            <td>
              <Link href={registryCollectionPath(entity, registry, c.name)} className="artifact-mono">
                {c.name}
              </Link>
            </td>
            <td>{c.type}</td>
            <td className="num">{c.versionCount}</td>
            <td className="artifact-mono">{c.latest ?? "—"}</td>
            <td>{formatDateTime(c.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RegistryPage() {
  const params = useParams<{ entity: string }>();
  const entity = decodeRouteParam(params.entity);
  const registries = useLoaded(entity, (signal) => listRegistries(entity, signal));
  useEffect(() => {
    document.title = `Registry · ${entity} · Stepwise`;
  }, [entity]);
  return (
    <div className="page artifacts-page" data-testid="registry-page">
      <h1 className="artifacts-title">Registry · {entity}</h1>
      {registries.error !== null ? (
        <ErrorState error={registries.error} onRetry={registries.reload} />
      ) : registries.data === null ? (
        <Loading what="registries" />
      ) : registries.data.length === 0 ? (
        <p className="muted">
          No registry yet: link a version with <code>run.linkArtifact(artifact, "model-registry/name")</code>.
        </p>
      ) : (
        registries.data.map((r) => (
          <section className="files-card" key={r.name} data-testid="registry-section">
            <div className="card-head">
              <h2>{r.name}</h2>
            </div>
            <RegistryCollections entity={entity} registry={r.name} />
          </section>
        ))
      )}
    </div>
  );
}
