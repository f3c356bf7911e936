/**
 * One registry collection (`/<entity>/-/registry/<registry>/<collection>`): its linked versions,
 * newest first — the registry's version name, its aliases (editable: an alias added here moves
 * from whichever link held it), the artifact version it points at (opening its page) — and the
 * collection's audit log, read again after each alias edit.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { Link, useParams } from "wouter";
import {
  listRegistryVersions,
  setRegistryAliases,
  type RegistryCollectionRef,
} from "../api/registry-client.js";
import { AliasEditor } from "../components/artifacts/AliasEditor.js";
import { useLoaded } from "../components/artifacts/useLoaded.js";
import { RegistryAudit } from "../components/registry/RegistryAudit.js";
import { ErrorState } from "../components/status/ErrorState.js";
import { Loading } from "../components/status/Loading.js";
import { artifactVersionPath } from "../lib/artifact-paths.js";
import { registriesPath } from "../lib/registry-paths.js";
import { decodeRouteParam } from "../lib/route-param.js";
import { formatDateTime } from "../lib/time-format.js";
import "../styles/run.css";
import "../styles/artifacts.css";
import "../styles/registry.css";

export function RegistryCollectionPage() {
  const params = useParams<{ entity: string; registry: string; collection: string }>();
  const entity = decodeRouteParam(params.entity);
  const registry = decodeRouteParam(params.registry);
  const collection = decodeRouteParam(params.collection);
  const ref = useMemo<RegistryCollectionRef>(
    () => ({ entity, registry, collection }),
    [entity, registry, collection],
  );
  const versions = useLoaded(`${entity}/${registry}/${collection}`, (signal) =>
    listRegistryVersions(ref, signal),
  );
  const [edits, setEdits] = useState(0);
  const reload = versions.reload;
  useEffect(() => {
    document.title = `${registry}/${collection} · Registry · Stepwise`;
  }, [registry, collection]);

  const saveAliases = useCallback(
    async (version: string, aliases: string[]): Promise<string | null> => {
      try {
        await setRegistryAliases(ref, version, aliases);
        // The alias may have left another link: the list and the audit log are read again.
        reload();
        setEdits((n) => n + 1);
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
    [ref, reload],
  );

  return (
    <div className="page artifacts-page" data-testid="registry-collection-page">
      <nav className="run-nav" aria-label="Registry sections">
        <Link href={registriesPath(entity)}>← Registry</Link>
      </nav>
      <h1 className="artifacts-title artifact-mono">
        {registry}/{collection}
        <span className="muted artifact-type-label">registry collection</span>
      </h1>
      <section className="files-card">
        <div className="card-head">
          <h2>Linked versions</h2>
        </div>
        {versions.error !== null ? (
          <ErrorState error={versions.error} onRetry={versions.reload} />
        ) : versions.data === null ? (
          <Loading what="linked versions" />
        ) : (
          <table className="artifact-table">
            <thead>
              <tr>
                <th style={{ width: "6em" }}>Version</th>
                <th>Aliases</th>
                <th>Artifact version</th>
                <th>Linked</th>
                <th>By</th>
              </tr>
            </thead>
            <tbody>
              {versions.data.map((v) => (
                <tr key={v.version} data-testid="registry-version-row" data-version={v.version}>
                  <td className="artifact-mono">{v.version}</td>
                  <td>
                    <AliasEditor aliases={v.aliases} save={(next) => saveAliases(v.version, next)} />
                  </td>
                  <td>
                    <Link
                      href={artifactVersionPath(
                        v.artifact.entity,
                        v.artifact.project,
                        v.artifact.name,
                        v.artifact.version,
                      )}
                      className="artifact-mono"
                      data-testid="registry-version-artifact"
                    >
                      {v.artifact.project}/{v.artifact.name}:{v.artifact.version}
                    </Link>
                  </td>
                  <td>{formatDateTime(v.linkedAt)}</td>
                  <td className="artifact-mono">{v.linkedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <RegistryAudit entity={entity} registry={registry} collection={collection} reloadKey={edits} />
    </div>
  );
}
