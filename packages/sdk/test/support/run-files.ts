/**
 * Run files for the file-channel tests: a run seeded on a test server, random local files whose
 * sha256 the test computes itself from the bytes it wrote, and the server's copy read back with
 * a plain GET, so that assertions compare the server with the original bytes, never with the
 * SDK's own intermediate copies.
 */
import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import type { ServerTarget } from "../../src/upload/server-target.js";

export interface WrittenFile {
  path: string;
  bytes: Buffer;
  sha256: string;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** `size` random bytes written to `<dir>/<name>`. */
export function writeRandomFile(dir: string, name: string, size: number): WrittenFile {
  const bytes = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes, sha256: sha256Of(bytes) };
}

/** Creates the run on the server with one ingest batch, as the SDK's uploader would. */
export async function seedRun(baseUrl: string, ref: RunRef): Promise<void> {
  const response = await fetch(baseUrl + apiPaths.ingest(ref), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ run: { name: `run-${ref.runId}`, startTime: 1_700_000_000 } }),
  });
  if (!response.ok) throw new Error(`seeding ${ref.runId}: HTTP ${response.status} ${await response.text()}`);
}

/** The bytes the server serves for a run file; null on 404. */
export async function serverBytes(baseUrl: string, ref: RunRef, path: string): Promise<Buffer | null> {
  const response = await fetch(baseUrl + apiPaths.file(ref, path));
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

export function targetOf(baseUrl: string): ServerTarget {
  return { baseUrl, apiKey: null };
}
