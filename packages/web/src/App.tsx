/**
 * The app shell and its routes. Every view is addressable by URL: the path picks the page, the
 * query string holds the view state (see lib/url-state.ts).
 */
import { Route, Switch } from "wouter";
import { ProjectsPage } from "./pages/ProjectsPage.js";
import { WorkspacePage } from "./pages/WorkspacePage.js";
import { RunPage } from "./pages/RunPage.js";
import { ComparePage } from "./pages/ComparePage.js";
import { NotFoundPage } from "./pages/NotFoundPage.js";
import { TopBar } from "./components/TopBar.js";

export function App() {
  return (
    <div className="app">
      <TopBar />
      <main className="app-main">
        <Switch>
          <Route path="/" component={ProjectsPage} />
          <Route path="/:entity/:project/compare" component={ComparePage} />
          <Route path="/:entity/:project/runs/:runId" component={RunPage} />
          <Route path="/:entity/:project" component={WorkspacePage} />
          <Route component={NotFoundPage} />
        </Switch>
      </main>
    </div>
  );
}
