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
  decodeText,
  imageType,
  MEDIA_PREVIEW_BYTES,
  prettyJson,
  previewKind,
  rangeTotal,
  TEXT_PREVIEW_BYTES,
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
  const response = await fetchFile(ref, path, { headers: range }, signal);
  // One byte more than shown tells a 200 (the whole file) that is longer from one that is not.
  const bytes = await readAtMost(response, TEXT_PREVIEW_BYTES + 1);
  const total =
    response.status === 206 ? (rangeTotal(response.headers.get("content-range")) ?? size) : bytes.length;
  return decodeText(bytes.subarray(0, TEXT_PREVIEW_BYTES), total);
}

/** The body's first `max` bytes at most; the rest is never downloaded (the stream is cancelled). */
async function readAtMost(response: Response, max: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(await response.arrayBuffer()).subarray(0, max);
  const chunks: Uint8Array[] = [];
  let received = 0;
  while (received < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
  }
  if (received >= max) await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(Math.min(received, max));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
