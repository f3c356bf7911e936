/**
 * The UI's artifact URLs (routes in App.tsx), each segment encoded like app-paths.ts: a
 * project's Artifacts section and the page of one version (`v3` or an alias such as `latest`).
 */
import { workspacePath } from "./app-paths.js";

export function artifactsPath(entity: string, project: string): string {
  return `${workspacePath(entity, project)}/artifacts`;
}

export function artifactVersionPath(entity: string, project: string, name: string, version: string): string {
  return `${artifactsPath(entity, project)}/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;
}
