/**
 * The Files tab's preview pane for the selected file: its path, type, size and time with a
 * download link above the preview (text in monospace with a note when only its first MiB is
 * shown, JSON indented, an image, a PDF), or "no preview" with what the file is.
 */
import { useState } from "react";
import type { FileDto, RunRef } from "@stepwise/protocol";
import { MEDIA_PREVIEW_BYTES, TEXT_PREVIEW_BYTES } from "../../lib/file-preview.js";
import { formatBytes } from "../../lib/run-meta.js";
import { formatDateTime, formatRelativeTime } from "../../lib/time-format.js";
import { ErrorState } from "../status/ErrorState.js";
import { Loading } from "../status/Loading.js";
import { FileDownloadLink } from "./FileDownloadLink.js";
import { useFilePreview, type FilePreviewState } from "./useFilePreview.js";

export interface FilePreviewProps {
  runRef: RunRef;
  file: FileDto;
  now: number;
}

export function FilePreview({ runRef, file, now }: FilePreviewProps) {
  const { state, retry } = useFilePreview(runRef, file);
  return (
    <div className="file-preview" data-testid="file-preview" data-path={file.path} aria-live="polite">
      <div className="file-preview-head">
        <span className="file-preview-path" title={file.path}>
          {file.path}
        </span>
        <span className="muted" title={`${file.size} bytes · sha256 ${file.sha256}`}>
          {file.contentType} · {formatBytes(file.size)} ·{" "}
          <time title={formatDateTime(file.updatedAt)}>{formatRelativeTime(file.updatedAt, now)}</time>
        </span>
        <FileDownloadLink runRef={runRef} path={file.path} className="file-download-button">
          Download
        </FileDownloadLink>
      </div>
      <div className="file-preview-body">
        <PreviewBody state={state} file={file} retry={retry} />
      </div>
    </div>
  );
}

function PreviewBody({ state, file, retry }: { state: FilePreviewState; file: FileDto; retry: () => void }) {
  switch (state.status) {
    case "loading":
      return <Loading what="preview" />;
    case "error":
      return <ErrorState error={state.error} onRetry={retry} />;
    case "text":
      return (
        <>
          {state.preview.truncated && (
            <p className="file-note" data-testid="preview-truncated">
              Truncated: the first {formatBytes(TEXT_PREVIEW_BYTES)} of {formatBytes(file.size)}. Download the
              file for the rest.
            </p>
          )}
          {state.preview.jsonError !== undefined && (
            <p className="file-note">Not valid JSON ({state.preview.jsonError}); shown as it is.</p>
          )}
          <pre className="file-text" data-testid="preview-text" tabIndex={0}>
            {state.preview.text}
          </pre>
        </>
      );
    case "image":
      return <ImagePreview url={state.url} alt={file.path} />;
    case "pdf":
      return (
        <object className="file-pdf" data-testid="preview-pdf" data={state.url} type="application/pdf">
          <p className="file-note">This browser shows no PDF inline: download the file to read it.</p>
        </object>
      );
    case "none":
      return (
        <p className="file-note" data-testid="preview-none">
          {state.reason === "too-large"
            ? `No preview: ${formatBytes(file.size)} is more than the ${formatBytes(MEDIA_PREVIEW_BYTES)} a preview reads.`
            : `No preview for ${file.contentType} (${formatBytes(file.size)}).`}{" "}
          Download it to open it.
        </p>
      );
  }
}

/** Small images (a 28×28 sample) are drawn at a whole multiple of their size, pixels kept sharp. */
const SMALL_IMAGE_PX = 160;

function ImagePreview({ url, alt }: { url: string; alt: string }) {
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const scale =
    size === null ? 1 : Math.max(1, Math.floor(SMALL_IMAGE_PX / Math.max(size.width, size.height)));
  return (
    <figure className="file-figure">
      <img
        className={scale > 1 ? "file-image pixelated" : "file-image"}
        data-testid="preview-image"
        src={url}
        alt={alt}
        {...(size === null || scale === 1 ? {} : { width: size.width * scale })}
        onLoad={(event) =>
          setSize({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })
        }
      />
      {size !== null && (
        <figcaption className="muted">
          {size.width} × {size.height} px{scale > 1 ? ` (shown ×${scale})` : ""}
        </figcaption>
      )}
    </figure>
  );
}
