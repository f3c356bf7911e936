/**
 * The run page's Artifacts section: the versions the run produced (logged) and used, each a
 * link to its version page.
 */
import { Link } from "wouter";
import type { ArtifactVersionDto, RunRef } from "@stepwise/protocol";
import { getRunArtifacts } from "../../api/artifact-client.js";
import { artifactVersionPath } from "../../lib/artifact-paths.js";
import { formatBytes } from "../../lib/run-meta.js";
import { ErrorState } from "../status/ErrorState.js";
import { Loading } from "../status/Loading.js";
import { useLoaded } from "./useLoaded.js";

export function RunArtifactsSection({ runRef, runState }: { runRef: RunRef; runState: string }) {
  // Read again when the run's state changes (a finishing run logs its artifacts last).
  const key = `${runRef.entity}/${runRef.project}/${runRef.runId}/${runState}`;
  const lineage = useLoaded(key, (signal) => getRunArtifacts(runRef, signal));
  return (
    <section className="files-card" id="artifacts" data-testid="run-artifacts">
      <div className="card-head">
        <h2>Artifacts</h2>
      </div>
      {lineage.data === null && lineage.error !== null && (
        <ErrorState error={lineage.error} onRetry={lineage.reload} />
      )}
      {lineage.data === null && lineage.error === null && <Loading what="artifacts" />}
      {lineage.data !== null && (
        <div className="run-artifacts">
          <VersionLinks title="Produced" testId="run-artifacts-produced" versions={lineage.data.produced} />
          <VersionLinks title="Used" testId="run-artifacts-used" versions={lineage.data.used} />
        </div>
      )}
    </section>
  );
}

function VersionLinks(props: { title: string; testId: string; versions: readonly ArtifactVersionDto[] }) {
  return (
    <div data-testid={props.testId}>
      <h3>{props.title}</h3>
      {props.versions.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {props.versions.map((v) => (
            <li key={`${v.entity}/${v.project}/${v.name}:${v.version}`}>
              <Link
                href={artifactVersionPath(v.entity, v.project, v.name, v.version)}
                className="artifact-mono"
                data-testid="run-artifact-link"
                data-artifact={`${v.name}:${v.version}`}
              >
                {v.name}:{v.version}
              </Link>{" "}
              <span className="muted">
                {v.type} · {formatBytes(v.size)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
