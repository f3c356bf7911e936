/** A collection's versions, newest first, each a link to its page with its aliases as chips. */
import { Link } from "wouter";
import type { ArtifactVersionDto } from "@stepwise/protocol";
import { artifactVersionPath } from "../../lib/artifact-paths.js";
import { formatBytes } from "../../lib/run-meta.js";
import { formatDateTime, formatRelativeTime } from "../../lib/time-format.js";

export interface VersionListProps {
  versions: readonly ArtifactVersionDto[];
  /** The version shown (its own name, `v3`). */
  current: string;
  now: number;
}

export function VersionList({ versions, current, now }: VersionListProps) {
  return (
    <nav className="files-card artifact-versions" aria-label="Versions" data-testid="version-list">
      <div className="card-head">
        <h2>Versions</h2>
        <span className="muted count">{versions.length}</span>
      </div>
      <ul>
        {versions.map((v) => (
          <li key={v.version} className={v.version === current ? "current" : ""}>
            <Link
              href={artifactVersionPath(v.entity, v.project, v.name, v.version)}
              data-testid="version-link"
              data-version={v.version}
              aria-current={v.version === current ? "page" : undefined}
            >
              <span className="artifact-mono">{v.version}</span>
              {v.aliases.map((alias) => (
                <span className="tag" key={alias} data-testid="version-alias">
                  {alias}
                </span>
              ))}
              <span className="muted artifact-version-meta" title={formatDateTime(v.createdAt)}>
                {formatBytes(v.size)} · {formatRelativeTime(v.createdAt, now)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
