/**
 * The run page's Files tab: the run's files (what the SDK saved with `run.save()`, and its
 * config.json, summary.json, metadata.json) as a folder tree beside a preview of the selected
 * file, which the URL keeps (`?file=<path>`). The list comes from the page (useRunFiles), which
 * re-reads it when the run's state changes.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import { ancestorFolders, buildFileTree, initiallyOpen, visibleRows } from "../../lib/file-tree.js";
import { formatBytes } from "../../lib/run-meta.js";
import { EmptyState } from "../status/EmptyState.js";
import { ErrorState } from "../status/ErrorState.js";
import { Loading } from "../status/Loading.js";
import { FilePreview } from "./FilePreview.js";
import { FileTree } from "./FileTree.js";
import { useNow } from "./useNow.js";
import type { RunFiles } from "./useRunFiles.js";
import { useSelectedFile } from "./useSelectedFile.js";

const SAVE_SNIPPET = `run.save("samples/*.png", { policy: "now" }); // upload once, now
run.save("ckpt/*.pt", { policy: "end" });     // upload at finish`;

export function FilesTab({ runRef, runFiles }: { runRef: RunRef; runFiles: RunFiles }) {
  const { files, error, retry } = runFiles;
  const [selected, select] = useSelectedFile();
  const now = useNow(false);
  const tree = useMemo(() => buildFileTree(files ?? []), [files]);
  // Until a folder is opened or closed, the open ones are the first levels that fit, and the
  // folders of the file the URL selected.
  const [toggled, setToggled] = useState<ReadonlySet<string> | null>(null);
  const open = useMemo(
    () =>
      toggled ?? new Set([...initiallyOpen(tree), ...(selected === null ? [] : ancestorFolders(selected))]),
    [toggled, tree, selected],
  );
  const rows = useMemo(() => visibleRows(tree, open), [tree, open]);
  const toggle = useCallback(
    (folder: string, isOpen: boolean) => {
      const next = new Set(open);
      if (isOpen) next.add(folder);
      else next.delete(folder);
      setToggled(next);
    },
    [open],
  );
  const selectedFile = files?.find((file) => file.path === selected) ?? null;

  // A link to a file (`?file=`) shows the Files tab, which is below the charts.
  const section = useRef<HTMLElement>(null);
  const scrolled = useRef(false);
  useEffect(() => {
    if (scrolled.current || files === null || selected === null) return;
    scrolled.current = true;
    section.current?.scrollIntoView({ block: "start" });
  }, [files, selected]);

  return (
    <section className="files-card" id="files" ref={section} data-testid="files-tab">
      <div className="card-head">
        <h2>Files</h2>
        {files !== null && (
          <span className="muted count" data-testid="files-total">
            {tree.count} {tree.count === 1 ? "file" : "files"} · {formatBytes(tree.size)}
          </span>
        )}
      </div>
      {error !== null && files === null && <ErrorState error={error} onRetry={retry} />}
      {error === null && files === null && <Loading what="files" />}
      {files !== null && files.length === 0 && (
        <EmptyState title="No files in this run" snippet={SAVE_SNIPPET}>
          <p>
            Files the run saves show here, with a preview and a download. The SDK uploads config.json,
            summary.json and metadata.json with every run; save your own (checkpoints, samples, logs) with{" "}
            <code>run.save(glob)</code>:
          </p>
        </EmptyState>
      )}
      {files !== null && files.length > 0 && (
        <div className="files-body">
          <FileTree
            runRef={runRef}
            rows={rows}
            selected={selected}
            now={now}
            onSelect={select}
            onToggle={toggle}
          />
          <div className="files-preview-pane">
            {selectedFile !== null ? (
              <FilePreview key={selectedFile.path} runRef={runRef} file={selectedFile} now={now} />
            ) : (
              <p className="file-note" data-testid="preview-hint">
                {selected === null
                  ? "Select a file to preview it (↑ ↓ and Enter in the tree)."
                  : `This run has no file “${selected}”.`}
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
