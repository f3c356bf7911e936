/** The bar on every page: the product name (home link) and where you are. */
import { Link, useLocation } from "wouter";
import { AlertBell } from "./alerts/AlertBell.js";
import { artifactsPath } from "../lib/artifact-paths.js";

export function TopBar() {
  const [location] = useLocation();
  const parts = location
    .split("/")
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  const [entity, project] = parts;
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
        </nav>
      )}
      <AlertBell />
    </header>
  );
}
