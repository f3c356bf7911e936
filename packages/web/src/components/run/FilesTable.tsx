/**
 * The run's files (what the SDK saved: config.json, summary.json, checkpoints…) with size, last
 * update and a download link. The list comes from the page (useRunFiles), which re-reads it when
 * the run's state changes.
 */
import type { RunRef } from "@stepwise/protocol";
import { fileUrl } from "../../api/client.js";
import { formatBytes } from "../../lib/run-meta.js";
import { formatDateTime } from "../../lib/time-format.js";
import { ErrorState } from "../status/ErrorState.js";
import { Loading } from "../status/Loading.js";
import type { RunFiles } from "./useRunFiles.js";

export function FilesTable({ runRef, runFiles }: { runRef: RunRef; runFiles: RunFiles }) {
  const { files, error, retry } = runFiles;
  const { entity, project, runId } = runRef;

  return (
    <section className="files-card" id="files">
      <div className="card-head">
        <h2>Files</h2>
        {files !== null && <span className="muted count">{files.length} files</span>}
      </div>
      {error !== null && files === null && <ErrorState error={error} onRetry={retry} />}
      {error === null && files === null && <Loading what="files" />}
      {files !== null && files.length === 0 && (
        <p className="muted values-empty">
          No files yet. The SDK saves config.json and summary.json when the run finishes.
        </p>
      )}
      {files !== null && files.length > 0 && (
        <table className="files-table" data-testid="files-table">
          <thead>
            <tr>
              <th>Path</th>
              <th className="num">Size</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {files.map((file) => (
              <tr key={file.path} data-path={file.path}>
                <td>
                  <a
                    data-testid="file-link"
                    href={fileUrl({ entity, project, runId }, file.path)}
                    download={file.path.split("/").pop()}
                    title={`Download ${file.path} (${file.contentType}, sha256 ${file.sha256.slice(0, 12)}…)`}
                  >
                    {file.path}
                  </a>
                </td>
                <td className="num" title={`${file.size} bytes`}>
                  {formatBytes(file.size)}
                </td>
                <td>{formatDateTime(file.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
