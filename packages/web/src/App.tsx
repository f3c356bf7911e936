/**
 * The app shell and its routes. Every view is addressable by URL: the path picks the page, the
 * query string holds the view state (see lib/url-state.ts).
 */
import { lazy, Suspense } from "react";
import { Route, Switch, useLocation } from "wouter";
import { ProjectsPage } from "./pages/ProjectsPage.js";
import { WorkspacePage } from "./pages/WorkspacePage.js";
import { NotFoundPage } from "./pages/NotFoundPage.js";
import { TopBar } from "./components/TopBar.js";
import { Loading } from "./components/status/Loading.js";
import { ServerStatusBanner } from "./components/status/ServerStatusBanner.js";

// The run and compare pages bring Markdown, KaTeX and DOMPurify: loaded when first opened, so the
// workspace (the page that must answer at once with thousands of runs) does not parse them.
const RunPage = lazy(async () => ({ default: (await import("./pages/RunPage.js")).RunPage }));
const ComparePage = lazy(async () => ({ default: (await import("./pages/ComparePage.js")).ComparePage }));
const EmbedRunPage = lazy(async () => ({ default: (await import("./pages/EmbedRunPage.js")).EmbedRunPage }));
const ArtifactsPage = lazy(async () => ({
  default: (await import("./pages/ArtifactsPage.js")).ArtifactsPage,
}));
const ArtifactVersionPage = lazy(async () => ({
  default: (await import("./pages/ArtifactVersionPage.js")).ArtifactVersionPage,
}));
const RegistryPage = lazy(async () => ({ default: (await import("./pages/RegistryPage.js")).RegistryPage }));
const RegistryCollectionPage = lazy(async () => ({
  default: (await import("./pages/RegistryCollectionPage.js")).RegistryCollectionPage,
}));

export function App() {
  const [location] = useLocation();
  // The embeddable run view (run.toHtml()): no header, no banner, nothing to edit.
  if (location.startsWith("/embed/"))
    return (
      <Suspense fallback={<Loading what="the run" />}>
        <Route path="/embed/:entity/:project/runs/:runId" component={EmbedRunPage} />
      </Suspense>
    );
  return (
    <div className="app">
      <TopBar />
      <ServerStatusBanner />
      <main className="app-main">
        <Suspense fallback={<Loading what="the page" />}>
          <Switch>
            <Route path="/" component={ProjectsPage} />
            <Route path="/:entity/-/registry" component={RegistryPage} />
            <Route path="/:entity/-/registry/:registry/:collection" component={RegistryCollectionPage} />
            <Route path="/:entity/:project/compare" component={ComparePage} />
            <Route path="/:entity/:project/runs/:runId" component={RunPage} />
            <Route path="/:entity/:project/artifacts" component={ArtifactsPage} />
            <Route path="/:entity/:project/artifacts/:name/:version" component={ArtifactVersionPage} />
            <Route path="/:entity/:project/artifacts/:name" component={ArtifactVersionPage} />
            <Route path="/:entity/:project" component={WorkspacePage} />
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}
