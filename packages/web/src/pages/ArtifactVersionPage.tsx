/**
 * One artifact version: the collection's versions (newest first, aliases as chips) beside the
 * chosen version's facts (aliases editable), metadata and files. The URL names the version by
 * its own name (`v3`) or an alias (`latest`, `best`); the files come from one manifest request.
 */
import { useCallback, useEffect, useMemo } from "react";
import { Link, useParams } from "wouter";
import { LATEST_ALIAS } from "@stepwise/protocol";
import { ApiError } from "../api/client.js";
import {
  getArtifactManifest,
  listArtifactVersions,
  setArtifactAliases,
  setArtifactTags,
  type CollectionRef,
} from "../api/artifact-client.js";
import { ArtifactFiles } from "../components/artifacts/ArtifactFiles.js";
import { useLoaded } from "../components/artifacts/useLoaded.js";
import { VersionDetails } from "../components/artifacts/VersionDetails.js";
import { VersionList } from "../components/artifacts/VersionList.js";
import { LineageGraph } from "../components/lineage/LineageGraph.js";
import { RegistryLinks } from "../components/registry/RegistryLinks.js";
import { useNow } from "../components/run/useNow.js";
import { ErrorState } from "../components/status/ErrorState.js";
import { Loading } from "../components/status/Loading.js";
import { artifactsPath } from "../lib/artifact-paths.js";
import { decodeRouteParam } from "../lib/route-param.js";
import "../styles/run.css";
import "../styles/artifacts.css";

export function ArtifactVersionPage() {
  const params = useParams<{ entity: string; project: string; name: string; version?: string }>();
  const entity = decodeRouteParam(params.entity);
  const project = decodeRouteParam(params.project);
  const name = decodeRouteParam(params.name);
  // `/artifacts/<name>` alone shows the newest version.
  const alias = decodeRouteParam(params.version) || LATEST_ALIAS;
  const ref = useMemo<CollectionRef>(() => ({ entity, project, name }), [entity, project, name]);
  const key = `${entity}/${project}/${name}`;
  const versions = useLoaded(key, (signal) => listArtifactVersions(ref, signal));
  const manifest = useLoaded(`${key}:${alias}`, (signal) => getArtifactManifest(ref, alias, signal));
  const now = useNow(false);
  const version = manifest.data?.version ?? null;

  useEffect(() => {
    document.title = `${name}:${version?.version ?? alias} · ${project} · Stepwise`;
  }, [name, version, alias, project]);

  const { data: loaded, replace } = manifest;
  const reloadVersions = versions.reload;
  const saveAliases = useCallback(
    async (next: string[]): Promise<string | null> => {
      if (loaded === null) return "the version has not loaded yet";
      try {
        const saved = await setArtifactAliases(ref, loaded.version.version, next);
        replace({ ...loaded, version: saved });
        // An alias taken from another version leaves that one: the list is read again.
        reloadVersions();
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
    [ref, loaded, replace, reloadVersions],
  );

  const saveTags = useCallback(
    async (next: string[]): Promise<string | null> => {
      if (loaded === null) return "the version has not loaded yet";
      try {
        replace({ ...loaded, version: await setArtifactTags(ref, loaded.version.version, next) });
        return null;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
    [ref, loaded, replace],
  );

  const back = (
    <nav className="run-nav" aria-label="Artifact sections">
      <Link href={artifactsPath(entity, project)}>← Artifacts</Link>
    </nav>
  );
  if (manifest.error !== null)
    return (
      <div className="page artifacts-page">
        {back}
        <ErrorState
          error={manifest.error}
          {...(manifest.error instanceof ApiError && manifest.error.status === 404
            ? {}
            : { onRetry: manifest.reload })}
        />
      </div>
    );
  if (manifest.data === null) return <Loading what="the artifact version" />;
  const current = manifest.data.version;
  return (
    <div className="page artifacts-page" data-testid="artifact-version-page" data-version={current.version}>
      {back}
      <h1 className="artifacts-title artifact-mono" data-testid="artifact-title">
        {current.name}:{current.version}
        <span className="muted artifact-type-label">{current.type}</span>
      </h1>
      <div className="artifact-layout">
        {versions.data !== null ? (
          <VersionList versions={versions.data} current={current.version} now={now} />
        ) : versions.error !== null ? (
          <ErrorState error={versions.error} onRetry={versions.reload} />
        ) : (
          <Loading what="versions" />
        )}
        <div className="artifact-main">
          <VersionDetails version={current} saveAliases={saveAliases} saveTags={saveTags} />
          <ArtifactFiles entries={manifest.data.entries} />
          <RegistryLinks entity={entity} project={project} name={name} version={current.version} />
          <LineageGraph entity={entity} project={project} name={name} version={current.version} />
        </div>
      </div>
    </div>
  );
}
