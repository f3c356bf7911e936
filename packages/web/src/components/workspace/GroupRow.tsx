/** A group header row of the runs table: the group's value and size; a click folds it. */
import type { CSSProperties } from "react";
import type { RunGroup } from "../../lib/run-groups.js";

export interface GroupRowProps {
  group: RunGroup;
  groupBy: string;
  collapsed: boolean;
  /** The row's grid (shared by every row, so that memoised rows stay equal). */
  style: CSSProperties;
  /** Pixels from the top of the table body. */
  top: number;
  onToggle: (key: string) => void;
}

export function GroupRow({ group, groupBy, collapsed, style, top, onToggle }: GroupRowProps) {
  return (
    <div
      className="runs-row runs-group-row"
      role="row"
      data-testid="group-row"
      data-group={group.label}
      style={{ ...style, transform: `translateY(${top}px)` }}
    >
      <button
        type="button"
        className="runs-group-toggle"
        onClick={() => onToggle(group.key)}
        aria-expanded={!collapsed}
      >
        <span className="runs-group-caret">{collapsed ? "▸" : "▾"}</span>
        <span className="runs-group-by">{groupBy}</span>
        <span className="runs-group-label">{group.label}</span>
        <span className="runs-group-count">{group.runs.length}</span>
      </button>
    </div>
  );
}
