/** A run id the project does not have: say so and lead back to the project's workspace. */
import { Link } from "wouter";

export function RunNotFound({ entity, project, runId }: { entity: string; project: string; runId: string }) {
  const workspace = `/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`;
  return (
    <div className="status-box status-error" data-testid="error-state" role="alert">
      <h2>Run not found</h2>
      <p className="status-text">
        There is no run <code>{runId}</code> in {entity}/{project}. It may have been deleted, or the id in the
        address is mistyped.
      </p>
      <Link href={workspace}>← Back to the {project} workspace</Link>
    </div>
  );
}
