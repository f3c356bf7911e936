/**
 * Above the runs table: the filter expression, the name search, add-column, group-by, how many
 * runs match, show/hide all, and Compare (the first visible runs, at most 10).
 */
import { Link } from "wouter";
import type { WorkspaceView } from "../../lib/url-state.js";
import { AddColumnInput } from "./AddColumnInput.js";
import { FilterInput } from "./FilterInput.js";

export const MAX_COMPARE = 10;

export interface RunsToolbarProps {
  view: WorkspaceView;
  onViewChange: (patch: Partial<WorkspaceView>) => void;
  filterError: string | null;
  /** Matching runs on the server; null before the first page. */
  total: number | null;
  loaded: number;
  complete: boolean;
  /** The project's config and summary paths (`summary.val/acc.max`); empty until wanted and loaded. */
  paths: readonly string[];
  /** An input wants `paths` (its focus): they are loaded then, not with the page. */
  onWantPaths: () => void;
  groupOptions: readonly string[];
  compareHref: string | null;
  compareCount: number;
}

export function RunsToolbar(props: RunsToolbarProps) {
  const { view, onViewChange } = props;
  return (
    <div className="runs-toolbar">
      <FilterInput
        applied={view.filter}
        error={props.filterError}
        onApply={(filter) => onViewChange({ filter })}
        paths={props.paths}
        onWantPaths={props.onWantPaths}
      />
      <div className="runs-toolbar-row">
        <input
          type="search"
          className="run-search"
          data-testid="run-search"
          placeholder="Search names"
          value={view.search}
          onChange={(event) => onViewChange({ search: event.target.value })}
        />
        <AddColumnInput
          suggestions={props.paths}
          onWantSuggestions={props.onWantPaths}
          onAdd={(column) => {
            if (!view.columns.includes(column)) onViewChange({ columns: [...view.columns, column] });
          }}
        />
        <select
          data-testid="group-by"
          value={view.groupBy}
          title="Group runs"
          onFocus={props.onWantPaths}
          onPointerDown={props.onWantPaths}
          onChange={(event) => onViewChange({ groupBy: event.target.value })}
        >
          <option value="">No grouping</option>
          <option value="group">Group</option>
          <option value="jobType">Job type</option>
          {props.groupOptions.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </div>
      <div className="runs-toolbar-row runs-toolbar-status">
        <span className="runs-count" data-testid="runs-count">
          {countText(props.total, props.loaded, props.complete)}
        </span>
        <span className="runs-toolbar-spacer" />
        {props.compareHref === null ? (
          <button
            type="button"
            data-testid="compare-button"
            disabled
            title="Show at least two runs to compare them"
          >
            Compare
          </button>
        ) : (
          <Link
            href={props.compareHref}
            className="button-link"
            data-testid="compare-button"
            title={`Compare the first ${props.compareCount} visible runs (at most ${MAX_COMPARE})`}
          >
            Compare {props.compareCount}
          </Link>
        )}
      </div>
    </div>
  );
}

function countText(total: number | null, loaded: number, complete: boolean): string {
  if (total === null) return "Loading runs…";
  const runs = `${total} ${total === 1 ? "run" : "runs"}`;
  return complete ? runs : `${runs} (loaded ${loaded})`;
}
