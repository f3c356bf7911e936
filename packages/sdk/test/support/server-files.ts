/** What a server holds of a run's files, asked over HTTP as any client would. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { RunPath } from "./server-process.js";

export interface ServerFile {
  path: string;
  size: number;
  sha256: string;
}

export async function listServerFiles(url: string, run: RunPath): Promise<Map<string, ServerFile>> {
  const response = await fetch(`${url}/api/v1/runs/${run.entity}/${run.project}/${run.id}/files`);
  if (response.status === 404) return new Map();
  if (!response.ok) throw new Error(`files: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { files: ServerFile[] };
  return new Map(body.files.map((file) => [file.path, file]));
}

/** The bytes of a run file as the server serves them. */
export async function serverFileBytes(url: string, run: RunPath, path: string): Promise<Buffer> {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const response = await fetch(`${url}/api/v1/runs/${run.entity}/${run.project}/${run.id}/files/${encoded}`);
  if (!response.ok) throw new Error(`file ${path}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

export function sha256Of(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
