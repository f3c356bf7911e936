/**
 * Client side of the file channel for server tests, written from protocol/files.ts: declare a
 * file, send its parts with Content-Range, read the answers (each checked with the protocol's
 * schemas), and find what the file store holds on disk.
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  apiPaths,
  contentRange,
  fileUploadResponseSchema,
  uploadPartResponseSchema,
  type FileUploadResponse,
  type RunRef,
  type UploadPartResponse,
} from "@stepwise/protocol";

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export async function errorOf(response: Response): Promise<ErrorAnswer> {
  const body = (await response.json()) as { error: Omit<ErrorAnswer, "status"> };
  return { status: response.status, ...body.error };
}

export async function declare(
  url: string,
  ref: RunRef,
  file: { path: string; bytes: Uint8Array; contentType?: string },
  headers: Record<string, string> = {},
): Promise<FileUploadResponse> {
  const response = await declareRaw(
    url,
    ref,
    {
      path: file.path,
      size: file.bytes.length,
      sha256: sha256(file.bytes),
      ...(file.contentType === undefined ? {} : { contentType: file.contentType }),
    },
    headers,
  );
  if (response.status !== 200)
    throw new Error(`declare answered ${response.status}: ${await response.text()}`);
  return fileUploadResponseSchema.parse(await response.json());
}

export function declareRaw(
  url: string,
  ref: RunRef,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url + apiPaths.fileUploads(ref), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

/** PUTs `bytes[start, start+length)` of a file of `bytes.length` to the upload URL. */
export function putPart(
  url: string,
  uploadUrl: string,
  bytes: Uint8Array,
  start: number,
  length: number,
): Promise<Response> {
  return fetch(url + uploadUrl, {
    method: "PUT",
    headers: { "content-range": contentRange(start, length, bytes.length) },
    body: bytes.subarray(start, start + length),
  });
}

/** Sends the file from `from` in parts of `partBytes`; resolves to the last answer. */
export async function sendParts(
  url: string,
  uploadUrl: string,
  bytes: Uint8Array,
  from: number,
  partBytes: number,
): Promise<UploadPartResponse> {
  let start = from;
  for (;;) {
    const length = Math.min(partBytes, bytes.length - start);
    const response = await putPart(url, uploadUrl, bytes, start, length);
    if (response.status !== 200)
      throw new Error(`part at ${start} answered ${response.status}: ${await response.text()}`);
    const answer = uploadPartResponseSchema.parse(await response.json());
    if (answer.status === "stored") return answer;
    start = answer.received;
  }
}

/** Declares and uploads a whole file; resolves to the declaration's answer kind. */
export async function uploadFile(
  url: string,
  ref: RunRef,
  file: { path: string; bytes: Uint8Array },
): Promise<"stored" | "uploaded"> {
  const answer = await declare(url, ref, file);
  if (answer.status === "stored") return "stored";
  await sendParts(url, answer.uploadUrl, file.bytes, answer.received, answer.partBytes);
  return "uploaded";
}

/** The sha256 names of the blobs in a data directory's file store. */
export function blobsOnDisk(dataDir: string): string[] {
  const root = join(dataDir, "files", "blobs", "sha256");
  let folders: string[];
  try {
    folders = readdirSync(root);
  } catch {
    return [];
  }
  return folders.flatMap((folder) => readdirSync(join(root, folder))).sort();
}

/** Every file under `<data>/files` other than blobs (staged uploads, temp files). */
export function nonBlobFilesOnDisk(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (path === "blobs") continue;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else out.push(path);
    }
  };
  walk(join(dataDir, "files"), "");
  return out.sort();
}
