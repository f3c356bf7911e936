/**
 * The preview of the selected run file: the first MiB of text (a Range request; a server that
 * answers 200 with the whole file is read only that far, then cancelled), JSON pretty-printed,
 * images and PDFs read whole into a blob: URL of a type chosen here (the download route answers
 * with `Content-Disposition: attachment` and `CSP: sandbox`, and a file's own content type is
 * never trusted to render). Read again when the file's content changes (its sha256).
 */
import { useCallback, useEffect, useState } from "react";
import type { FileDto, RunRef } from "@stepwise/protocol";
import { fetchFile } from "../../api/client.js";
import {
  imageType,
  MEDIA_PREVIEW_BYTES,
  prettyJson,
  previewKind,
  TEXT_PREVIEW_BYTES,
  textPreviewOf,
  type TextPreview,
} from "../../lib/file-preview.js";

export type FilePreviewState =
  | { status: "loading" }
  | { status: "error"; error: unknown }
  | { status: "text"; preview: TextPreview }
  | { status: "image" | "pdf"; url: string }
  | { status: "none"; reason: "type" | "too-large" };

export interface FilePreview {
  state: FilePreviewState;
  retry: () => void;
}

export function useFilePreview(ref: RunRef, file: FileDto | null): FilePreview {
  const [state, setState] = useState<FilePreviewState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const { entity, project, runId } = ref;
  const path = file?.path;
  const sha256 = file?.sha256;
  const size = file?.size ?? 0;
  const contentType = file?.contentType ?? "";

  useEffect(() => {
    if (path === undefined) return;
    const controller = new AbortController();
    const runRef = { entity, project, runId };
    const target = { path, contentType };
    let objectUrl: string | null = null;
    const load = async (): Promise<FilePreviewState> => {
      const kind = previewKind(target);
      if (kind === "none") return { status: "none", reason: "type" };
      if (kind === "text" || kind === "json") {
        const preview = await readText(runRef, path, size, controller.signal);
        return { status: "text", preview: kind === "json" ? prettyJson(preview) : preview };
      }
      if (size > MEDIA_PREVIEW_BYTES) return { status: "none", reason: "too-large" };
      const response = await fetchFile(runRef, path, {}, controller.signal);
      const type = kind === "pdf" ? "application/pdf" : (imageType(target) ?? "application/octet-stream");
      objectUrl = URL.createObjectURL(new Blob([await response.arrayBuffer()], { type }));
      return { status: kind, url: objectUrl };
    };
    setState({ status: "loading" });
    load().then(
      (next) => {
        if (!controller.signal.aborted) setState(next);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: "error", error });
      },
    );
    return () => {
      controller.abort();
      if (objectUrl !== null) URL.revokeObjectURL(objectUrl);
    };
  }, [entity, project, runId, path, sha256, size, contentType, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, retry };
}

async function readText(ref: RunRef, path: string, size: number, signal: AbortSignal): Promise<TextPreview> {
  // An empty file has no byte 0 to ask for (a Range request would be a 416).
  if (size === 0) return { text: "", truncated: false };
  const range = { range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` };
  return textPreviewOf(await fetchFile(ref, path, { headers: range }, signal), size);
}
