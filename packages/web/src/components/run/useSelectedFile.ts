/**
 * The run page's selected file, kept in the URL (`?file=<path>`, lib/selected-file-param.ts) so a
 * link opens it. Selecting replaces the history entry rather than adding one, as the
 * workspace's view state does.
 */
import { useCallback, useMemo } from "react";
import { useLocation, useSearch } from "wouter";
import { parseSelectedFile, withSelectedFile } from "../../lib/selected-file-param.js";

export function useSelectedFile(): [string | null, (path: string | null) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const selected = useMemo(() => parseSelectedFile(search), [search]);
  const select = useCallback(
    (path: string | null) => {
      const query = withSelectedFile(window.location.search, path);
      navigate(query === "" ? location : `${location}?${query}`, { replace: true });
    },
    [location, navigate],
  );
  return [selected, select];
}
