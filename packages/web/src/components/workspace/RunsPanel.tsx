/**
 * The left half of the workspace: the toolbar and the runs table, with everything the table
 * shows derived once per runs array (columns, cell texts, group rows, visibility), so that
 * scrolling and sorting 10,000 runs stay fast.
 */
import { useCallback, useMemo, useState } from "react";
import type { RunDto, RunListSelectDto } from "@stepwise/protocol";
import { runPath } from "../../lib/app-paths.js";
import { buildCells, tableColumns, type Cell } from "../../lib/run-columns.js";
import { flattenGroups, groupRuns, type GroupedRow } from "../../lib/run-groups.js";
import { columnListed } from "../../lib/run-list-select.js";
import { toggleSort } from "../../lib/run-sort.js";
import { hiddenTest, hideAll, showAll, toggleHidden } from "../../lib/run-visibility.js";
import type { WorkspaceView } from "../../lib/url-state.js";
import { RunsTable } from "./RunsTable.js";
import { RunsToolbar } from "./RunsToolbar.js";
import { usePathSuggestions } from "./usePathSuggestions.js";

export interface RunsPanelProps {
  entity: string;
  project: string;
  view: WorkspaceView;
  onViewChange: (patch: Partial<WorkspaceView>) => void;
  /** Loaded runs in arrival order (cells are keyed by run, so a sort need not rebuild them). */
  runs: RunDto[];
  /** The same runs in the view's order. */
  sorted: RunDto[];
  total: number | null;
  complete: boolean;
  filterError: string | null;
  /** The config/summary paths the loaded runs list: an added column shows once its values are in. */
  selected: RunListSelectDto | undefined;
  compareHref: string | null;
  compareCount: number;
}

/** Config keys offered for grouping: a few hundred at most keep the select usable. */
const MAX_GROUP_OPTIONS = 300;

export function RunsPanel(props: RunsPanelProps) {
  const { entity, project, view, onViewChange, sorted } = props;
  const listedColumns = view.columns.filter((column) => columnListed(column, props.selected));
  const columnsKey = listedColumns.join(",");
  const columns = useMemo(() => tableColumns(listedColumns), [columnsKey]);
  // Cells of runs already formatted are reused until the columns change.
  const cellCache = useMemo(() => new WeakMap<RunDto, Cell[]>(), [columns]);
  const cells = useMemo(
    () => buildCells(props.runs, columns, Date.now() / 1000, cellCache),
    [props.runs, columns, cellCache],
  );
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo<GroupedRow[]>(
    () =>
      view.groupBy === ""
        ? sorted.map((run) => ({ kind: "run", run }))
        : flattenGroups(groupRuns(sorted, view.groupBy), collapsed),
    [sorted, view.groupBy, collapsed],
  );
  const hiddenKey = view.hidden.join(",");
  const isHidden = useMemo(() => hiddenTest(view.hidden), [hiddenKey]);
  const allVisible = view.hidden.length === 0;
  // Partly hidden: anything but "every run hidden" (`*` with no shown exceptions).
  const someHidden = !allVisible && !(view.hidden.length === 1 && view.hidden[0] === "*");
  const paths = usePathSuggestions(entity, project);
  const groupOptions = useMemo(() => {
    const options = paths.config.slice(0, MAX_GROUP_OPTIONS);
    // The view's grouping stays offered before (or without) the suggestions.
    if (view.groupBy.startsWith("config.") && !options.includes(view.groupBy)) options.unshift(view.groupBy);
    return options;
  }, [paths.config, view.groupBy]);

  const runHref = useCallback((runId: string) => runPath(entity, project, runId), [entity, project]);
  const onToggleRun = useCallback(
    (runId: string) => onViewChange({ hidden: toggleHidden(view.hidden, runId) }),
    [hiddenKey, onViewChange],
  );
  const onToggleGroup = useCallback((key: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }, []);

  return (
    <div className="runs-panel">
      <RunsToolbar
        view={view}
        onViewChange={onViewChange}
        filterError={props.filterError}
        total={props.total}
        loaded={sorted.length}
        complete={props.complete}
        paths={paths.all}
        onWantPaths={paths.want}
        groupOptions={groupOptions}
        compareHref={props.compareHref}
        compareCount={props.compareCount}
      />
      <RunsTable
        rows={rows}
        columns={columns}
        cells={cells}
        sort={view.sort}
        groupBy={view.groupBy}
        isHidden={isHidden}
        allVisible={allVisible}
        someHidden={someHidden}
        runHref={runHref}
        onSort={(column) => onViewChange({ sort: toggleSort(view.sort, column) })}
        onToggleRun={onToggleRun}
        onToggleAll={() => onViewChange({ hidden: allVisible ? hideAll() : showAll() })}
        onToggleGroup={onToggleGroup}
        onRemoveColumn={(column) => onViewChange({ columns: view.columns.filter((c) => c !== column) })}
      />
      {props.total === 0 && (
        <div className="runs-none">
          No runs match{view.filter === "" ? "" : " the filter"}
          {view.search === "" ? "" : ` and the name search “${view.search}”`}.{" "}
          <button type="button" onClick={() => onViewChange({ filter: "", search: "" })}>
            Clear filters
          </button>
        </div>
      )}
    </div>
  );
}
