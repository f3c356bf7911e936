/**
 * One cell of a table grid (lib/table-cell decides what it shows): text, an image thumbnail
 * loaded lazily (the server's 256 px thumbnail of the run's file, made once and cached; a small
 * image comes as it is), or a link to another media file.
 */
import { memo } from "react";
import { mediaPaths, type RunRef } from "@stepwise/protocol";
import { fileUrl } from "../../api/client.js";
import { cellView } from "../../lib/table-cell.js";

export interface TableCellProps {
  run: RunRef;
  value: unknown;
  column: string;
}

export const TableCell = memo(function TableCell({ run, value, column }: TableCellProps) {
  const view = cellView(value);
  if (view.kind === "empty") return <div className="table-grid-cell" role="cell" data-column={column} />;
  if (view.kind === "text") {
    return (
      <div
        className={view.align === "right" ? "table-grid-cell is-right" : "table-grid-cell"}
        role="cell"
        data-column={column}
        title={view.title}
      >
        {view.text}
      </div>
    );
  }
  const url = fileUrl(run, view.path);
  if (view.kind === "image") {
    return (
      <div className="table-grid-cell is-media" role="cell" data-column={column}>
        <a href={url} target="_blank" rel="noreferrer" title="Open the full image">
          <img
            className="table-thumb"
            data-testid="table-image"
            src={mediaPaths.thumbnail(run, 256, view.path)}
            alt={view.caption ?? view.path}
            title={view.caption ?? view.path}
            loading="lazy"
          />
        </a>
      </div>
    );
  }
  return (
    <div className="table-grid-cell" role="cell" data-column={column}>
      <a href={url} target="_blank" rel="noreferrer" title={view.path}>
        {view.type.replace(/-file$/, "")}
      </a>
    </div>
  );
});
