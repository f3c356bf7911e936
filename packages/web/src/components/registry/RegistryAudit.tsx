/**
 * A registry's audit log (newest first): links, unlinks and alias moves, each with when, who
 * (`key:<id>`, `run:<path>`, `local`) and from → to. `reloadKey` changing reads it again (after
 * an alias edit on the same page).
 */
import { getRegistryAudit } from "../../api/registry-client.js";
import { formatDateTime } from "../../lib/time-format.js";
import { useLoaded } from "../artifacts/useLoaded.js";
import { ErrorState } from "../status/ErrorState.js";
import { Loading } from "../status/Loading.js";
import type { RegistryAuditDto } from "@stepwise/protocol";

function change(entry: RegistryAuditDto): string {
  if (entry.action === "link") return `linked ${entry.artifact ?? ""} as ${entry.to ?? ""}`;
  if (entry.action === "unlink") return `unlinked ${entry.from ?? ""} (${entry.artifact ?? ""})`;
  return `${entry.alias ?? ""}: ${entry.from ?? "—"} → ${entry.to ?? "—"}`;
}

export function RegistryAudit(props: {
  entity: string;
  registry: string;
  collection: string | null;
  reloadKey: number;
}) {
  const { entity, registry, collection, reloadKey } = props;
  const audit = useLoaded(`${entity}/${registry}/${collection ?? ""}#${reloadKey}`, (signal) =>
    getRegistryAudit(entity, registry, collection, signal),
  );
  return (
    <section className="files-card" data-testid="registry-audit">
      <div className="card-head">
        <h2>Audit log</h2>
      </div>
      {audit.error !== null ? (
        <ErrorState error={audit.error} onRetry={audit.reload} />
      ) : audit.data === null ? (
        <Loading what="the audit log" />
      ) : audit.data.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <table className="artifact-table">
          <thead>
            <tr>
              <th>When</th>
              {collection === null && <th>Collection</th>}
              <th>Change</th>
              <th>Who</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.map((entry) => (
              <tr key={entry.id} data-testid="registry-audit-row" data-action={entry.action}>
                <td>{formatDateTime(entry.at)}</td>
                {collection === null && <td className="artifact-mono">{entry.collection}</td>}
                <td className="artifact-mono">{change(entry)}</td>
                <td className="artifact-mono">{entry.actor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
