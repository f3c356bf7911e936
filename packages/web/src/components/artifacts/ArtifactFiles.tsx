/**
 * A version's manifest as a folder tree: a folder row shows its entry count and size total and
 * opens or closes on click; a stored file row its size and a download link (the manifest's
 * signed URL, which needs no key); a reference row the URI it records (never copied).
 */
import { useMemo, useState } from "react";
import { isReferenceEntry } from "@stepwise/protocol";
import type { ManifestRow } from "../../api/artifact-client.js";
import { artifactTreeRows, buildArtifactTree, type ArtifactTreeRow } from "../../lib/artifact-tree.js";
import { formatBytes } from "../../lib/run-meta.js";

export function ArtifactFiles({ entries }: { entries: readonly ManifestRow[] }) {
  const tree = useMemo(() => buildArtifactTree(entries), [entries]);
  const [closed, setClosed] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => artifactTreeRows(tree, closed), [tree, closed]);
  const toggle = (path: string): void => {
    const next = new Set(closed);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setClosed(next);
  };
  return (
    <section className="files-card" data-testid="artifact-files">
      <div className="card-head">
        <h2>Files</h2>
        <span className="muted count" data-testid="artifact-files-total">
          {tree.count} {tree.count === 1 ? "entry" : "entries"} · {formatBytes(tree.size)}
        </span>
      </div>
      {entries.length === 0 ? (
        <p className="muted artifact-pad">This version has no files.</p>
      ) : (
        <div className="artifact-tree" role="tree" aria-label="Artifact files">
          {rows.map((row) => (
            <TreeRow key={row.node.path} row={row} open={!closed.has(row.node.path)} onToggle={toggle} />
          ))}
        </div>
      )}
    </section>
  );
}

function TreeRow({
  row,
  open,
  onToggle,
}: {
  row: ArtifactTreeRow;
  open: boolean;
  onToggle: (path: string) => void;
}) {
  const { node, depth } = row;
  const indent = { paddingLeft: depth * 16 };
  if (node.kind === "folder")
    return (
      <div
        className="artifact-row folder"
        role="treeitem"
        aria-level={depth + 1}
        aria-expanded={open}
        data-testid="artifact-folder"
        data-path={node.path}
      >
        <button type="button" className="artifact-name" style={indent} onClick={() => onToggle(node.path)}>
          <span className="file-caret" aria-hidden="true">
            {open ? "▾" : "▸"}
          </span>
          {node.name}/
        </button>
        <span className="muted num">
          {node.count} {node.count === 1 ? "entry" : "entries"}
        </span>
        <span className="num" data-testid="artifact-size" title={`${node.size} bytes`}>
          {formatBytes(node.size)}
        </span>
        <span />
      </div>
    );
  const entry = node.item;
  const reference = isReferenceEntry(entry);
  return (
    <div
      className="artifact-row"
      role="treeitem"
      aria-level={depth + 1}
      data-testid="artifact-file"
      data-path={node.path}
    >
      <span className="artifact-name" style={indent} title={node.path}>
        <span className="file-caret" aria-hidden="true" />
        {node.name}
      </span>
      <span
        className="muted artifact-ref"
        data-testid="artifact-ref"
        title={reference ? entry.ref : entry.sha256}
      >
        {reference ? entry.ref : ""}
      </span>
      <span
        className="num"
        data-testid="artifact-size"
        title={entry.size === null ? "size unknown" : `${entry.size} bytes`}
      >
        {entry.size === null ? "–" : formatBytes(entry.size)}
      </span>
      <span className="artifact-download">
        {!reference && entry.url !== undefined && (
          <a
            href={entry.url}
            download={node.name}
            data-testid="artifact-download"
            title={`Download ${node.path}`}
          >
            ⤓
          </a>
        )}
      </span>
    </div>
  );
}
