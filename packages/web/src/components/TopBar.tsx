/**
 * The bar on every page: the product name (home link), where you are, and the project's
 * artifacts and the entity's registry.
 */
import { Link, useLocation } from "wouter";
import { AlertBell } from "./alerts/AlertBell.js";
import { artifactsPath } from "../lib/artifact-paths.js";
import { registriesPath } from "../lib/registry-paths.js";

export function TopBar() {
  const [location] = useLocation();
  const parts = location
    .split("/")
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  const [entity, second] = parts;
  // `/<entity>/-/…` are the entity's own pages (the registry), not a project's.
  const project = second === "-" ? undefined : second;
  return (
    <header className="top-bar">
      <Link href="/" className="brand">
        Stepwise
      </Link>
      {entity !== undefined && project !== undefined && (
        <nav className="crumbs" data-testid="breadcrumbs">
          <span className="crumb-sep">/</span>
          <span>{entity}</span>
          <span className="crumb-sep">/</span>
          <Link href={`/${encodeURIComponent(entity)}/${encodeURIComponent(project)}`}>{project}</Link>
          <span className="crumb-sep">·</span>
          <Link href={artifactsPath(entity, project)} data-testid="nav-artifacts">
            Artifacts
          </Link>
          <span className="crumb-sep">·</span>
          <Link href={registriesPath(entity)} data-testid="nav-registry">
            Registry
          </Link>
        </nav>
      )}
      {entity !== undefined && second === "-" && (
        <nav className="crumbs" data-testid="breadcrumbs">
          <span className="crumb-sep">/</span>
          <span>{entity}</span>
          <span className="crumb-sep">·</span>
          <Link href={registriesPath(entity)} data-testid="nav-registry">
            Registry
          </Link>
        </nav>
      )}
      <AlertBell />
    </header>
  );
}
