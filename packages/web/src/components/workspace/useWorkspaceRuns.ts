/**
 * The workspace's runs for a view: the filter expression parsed (a broken one keeps the last
 * filter that parsed, and says why), the matching runs loaded (useRuns, with only the config and
 * summary paths the table needs: lib/run-list-select.ts) and sorted by the view's sort spec. Sorting is local, so a header click re-sorts 10,000 runs without a request.
 */
import { useMemo, useRef } from "react";
import type { RunDto, RunFilterDto, RunListSelectDto } from "@stepwise/protocol";
import { ApiError } from "../../api/client.js";
import { parseFilterExpression } from "../../lib/filter-expression.js";
import { runListSelect, selectCovers, selectKey } from "../../lib/run-list-select.js";
import { sortRuns, sortSpecToOrder } from "../../lib/run-sort.js";
import type { WorkspaceView } from "../../lib/url-state.js";
import { useRuns, type RunsState } from "./useRuns.js";

export interface WorkspaceRuns extends RunsState {
  /** Loaded runs in the view's order. */
  sorted: RunDto[];
  filterError: string | null;
}

export function useWorkspaceRuns(entity: string, project: string, view: WorkspaceView): WorkspaceRuns {
  const parsed = useMemo(() => parseFilterExpression(view.filter), [view.filter]);
  const lastValid = useRef<RunFilterDto[]>([]);
  if (parsed.ok) lastValid.current = parsed.filters;
  const filters = parsed.ok ? parsed.filters : lastValid.current;
  // Only what the table shows of config and summary: a run may hold 100,000 keys. A column
  // removed keeps its path asked for (no reload); a column added asks anew.
  const needed = runListSelect(view);
  const last = useRef<{ project: string; select: RunListSelectDto } | null>(null);
  const where = `${entity}/${project}`;
  if (last.current === null || last.current.project !== where || !selectCovers(last.current.select, needed))
    last.current = { project: where, select: needed };
  const askedKey = selectKey(last.current.select);
  const select = useMemo(() => last.current?.select, [askedKey]);
  const order = sortSpecToOrder(view.sort);
  const state = useRuns(entity, project, { filters, search: view.search, order, select });
  const sorted = useMemo(() => sortRuns(state.runs, view.sort), [state.runs, view.sort]);
  if (!parsed.ok) return { ...state, sorted, filterError: parsed.message };
  // A filter the server refuses (e.g. a key it cannot address) is a filter problem, not an outage.
  if (state.error instanceof ApiError && state.error.status === 400 && view.filter !== "") {
    return {
      ...state,
      error: null,
      total: state.total ?? 0,
      complete: true,
      sorted,
      filterError: state.error.message,
    };
  }
  return { ...state, sorted, filterError: null };
}
