/**
 * The UI's own URLs (routes in App.tsx), each path segment encoded, so that names holding
 * spaces, `+`, `@` or `,` survive a round trip through the address bar.
 */

const enc = encodeURIComponent;

export function workspacePath(entity: string, project: string): string {
  return `/${enc(entity)}/${enc(project)}`;
}

export function runPath(entity: string, project: string, runId: string): string {
  return `${workspacePath(entity, project)}/runs/${enc(runId)}`;
}

/** The compare view of these runs, in this order (run ids never hold a `,`). */
export function comparePath(entity: string, project: string, runIds: readonly string[]): string {
  return `${workspacePath(entity, project)}/compare?runs=${runIds.map(enc).join(",")}`;
}
