/**
 * A version's facts: type, digest, size, entry count, when it was logged, the runs that produced
 * it (links: the logging or finishing run, then a distributed version's writers), its aliases and tags (both editable), its description and its metadata.
 */
import { Link } from "wouter";
import type { ArtifactVersionDto } from "@stepwise/protocol";
import { runPath } from "../../lib/app-paths.js";
import { describeTtl } from "../../lib/artifact-ttl.js";
import { formatBytes } from "../../lib/run-meta.js";
import { formatDateTime } from "../../lib/time-format.js";
import { ValuesTable } from "../run/ValuesTable.js";
import { AliasEditor } from "./AliasEditor.js";
import { ArtifactTagEditor } from "./ArtifactTagEditor.js";

export interface VersionDetailsProps {
  version: ArtifactVersionDto;
  saveAliases: (aliases: string[]) => Promise<string | null>;
  saveTags: (tags: string[]) => Promise<string | null>;
}

export function VersionDetails({ version: v, saveAliases, saveTags }: VersionDetailsProps) {
  // Every run that produced it (a distributed version's writers too); an older server lists only `producer`.
  const producers = v.producers.length > 0 ? v.producers : v.producer === null ? [] : [v.producer];
  return (
    <>
      <section className="files-card" data-testid="artifact-details">
        <div className="card-head">
          <h2>Version</h2>
        </div>
        <dl className="artifact-facts">
          <dt>Type</dt>
          <dd data-testid="artifact-type-value">{v.type}</dd>
          <dt>Aliases</dt>
          <dd>
            <AliasEditor aliases={v.aliases} save={saveAliases} />
          </dd>
          <dt>Digest</dt>
          <dd className="artifact-mono" data-testid="artifact-digest" title={v.digest}>
            {v.digest}
          </dd>
          <dt>Size</dt>
          <dd data-testid="artifact-size-total" title={`${v.size} bytes`}>
            {formatBytes(v.size)}
          </dd>
          <dt>Files</dt>
          <dd data-testid="artifact-file-count">{v.fileCount}</dd>
          <dt>Logged</dt>
          <dd>{formatDateTime(v.createdAt)}</dd>
          <dt>Time to live</dt>
          <dd data-testid="artifact-ttl">{describeTtl(v.ttlS, v.createdAt, Date.now() / 1000)}</dd>
          <dt>Produced by</dt>
          <dd data-testid="artifact-producer">
            {producers.length === 0 ? (
              <span className="muted">no run</span>
            ) : (
              producers.map((run, i) => (
                <span key={`${run.entity}/${run.project}/${run.runId}`}>
                  {i > 0 && ", "}
                  <Link href={runPath(run.entity, run.project, run.runId)} className="artifact-mono">
                    {run.entity === v.entity && run.project === v.project
                      ? run.runId
                      : `${run.entity}/${run.project}/${run.runId}`}
                  </Link>
                </span>
              ))
            )}
          </dd>
          <dt>Tags</dt>
          <dd>
            <ArtifactTagEditor tags={v.tags} save={saveTags} />
          </dd>
        </dl>
        {v.description !== "" && (
          <p className="artifact-description" data-testid="artifact-description">
            {v.description}
          </p>
        )}
      </section>
      <ValuesTable
        title="Metadata"
        testId="artifact-metadata"
        values={v.metadata}
        empty="No metadata. Pass it to new Artifact(name, type, { metadata })."
      />
    </>
  );
}
