/**
 * The workspace's view state (lib/url-state.ts) read from and written to the URL. Writes use
 * `history.replaceState` (wouter's `navigate(…, { replace: true })`), so tweaking a filter or a
 * smoothing weight does not fill the Back button's history.
 */
import { useCallback, useMemo } from "react";
import { useLocation, useSearch } from "wouter";
import {
  formatWorkspaceView,
  parseWorkspaceView,
  patchWorkspaceView,
  type WorkspaceView,
} from "../../lib/url-state.js";

export type UpdateWorkspaceView = (patch: Partial<WorkspaceView>) => void;

export function useWorkspaceView(): [WorkspaceView, UpdateWorkspaceView] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const view = useMemo(() => parseWorkspaceView(search), [search]);
  const update = useCallback<UpdateWorkspaceView>(
    (patch) => {
      // Read the URL at call time, not the render's copy: two updates in one event must both land.
      const current = parseWorkspaceView(window.location.search);
      const query = formatWorkspaceView(patchWorkspaceView(current, patch));
      navigate(query === "" ? location : `${location}?${query}`, { replace: true });
    },
    [location, navigate],
  );
  return [view, update];
}
