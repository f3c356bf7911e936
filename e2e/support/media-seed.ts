/**
 * Media runs for the media e2e specs and bench, logged without the SDK: history rows holding
 * W&B-shaped media values (reference § 8: `image-file` with `masks` and `boxes`, `audio-file`,
 * `video-file`, `html-file`, `object3D-file`, `molecule-file`) sent through the ingest route, and
 * the files they name uploaded through `PUT …/files/<path>`. PNG and WAV are encoded here, byte
 * by byte, so a test knows every pixel and sample it logged.
 */
import { createHash } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";

export interface SeedTarget {
  url: string;
  adminKey: string;
}

export interface MediaFile {
  path: string;
  bytes: Uint8Array<ArrayBuffer>;
  type: string;
}

export type Rgb = readonly [number, number, number];

/** A PNG of `width × height` whose pixel (x, y) is `pixel(x, y)`: RGB (colour type 2) or grey (0). */
export function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => Rgb | number,
): Uint8Array<ArrayBuffer> {
  const grey = typeof pixel(0, 0) === "number";
  const channels = grey ? 1 : 3;
  const raw = Buffer.alloc((width * channels + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * channels + 1);
    for (let x = 0; x < width; x++) {
      const p = pixel(x, y);
      if (typeof p === "number") raw[row + 1 + x] = p;
      else raw.set(p, row + 1 + x * 3);
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = grey ? 0 : 2;
  const file = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return new Uint8Array(file);
}

/** A mono 16-bit PCM WAV of a sine at `hz`. */
export function wav(seconds: number, sampleRate: number, hz: number): Uint8Array<ArrayBuffer> {
  const n = Math.round(seconds * sampleRate);
  const out = Buffer.alloc(44 + n * 2);
  out.write("RIFF", 0, "latin1");
  out.writeUInt32LE(36 + n * 2, 4);
  out.write("WAVEfmt ", 8, "latin1");
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write("data", 36, "latin1");
  out.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++)
    out.writeInt16LE(Math.round(12_000 * Math.sin((2 * Math.PI * hz * i) / sampleRate)), 44 + i * 2);
  return new Uint8Array(out);
}

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** A media file named as W&B names it: `<folder>/<key>_<step>_<sha256[:20]><ext>`. */
export function mediaFile(
  folder: string,
  key: string,
  step: number | string,
  ext: string,
  bytes: Uint8Array<ArrayBuffer>,
  type: string,
): MediaFile {
  return {
    path: `${folder}/${key.replace(/\//g, "_")}_${step}_${sha256(bytes).slice(0, 20)}${ext}`,
    bytes,
    type,
  };
}

/** The `*-file` JSON of a media file in a history row. */
export function fileJson(
  type: string,
  file: MediaFile,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { _type: type, sha256: sha256(file.bytes), size: file.bytes.length, path: file.path, ...extra };
}

const auth = (target: SeedTarget) => ({ authorization: `Bearer ${target.adminKey}` });

export async function uploadFile(
  target: SeedTarget,
  project: string,
  runId: string,
  file: MediaFile,
): Promise<void> {
  const url = `${target.url}/api/v1/runs/local/${project}/${runId}/files/${file.path.split("/").map(encodeURIComponent).join("/")}`;
  const response = await fetch(url, {
    method: "PUT",
    headers: { ...auth(target), "content-type": file.type },
    body: file.bytes,
  });
  if (!response.ok) throw new Error(`PUT ${file.path}: HTTP ${response.status} ${await response.text()}`);
}

/** One ingest batch: the run, its history rows, its summary (the rows' last values) and its exit. */
export async function ingestRun(
  target: SeedTarget,
  project: string,
  runId: string,
  rows: Record<string, unknown>[],
  config: Record<string, unknown> = {},
): Promise<void> {
  const summary: Record<string, unknown> = {};
  for (const row of rows) Object.assign(summary, row);
  const body = {
    run: { name: runId, config, startTime: 1_763_700_000 },
    history: { offset: 0, rows },
    summary,
    exit: { exitCode: 0, runtime: 10 },
  };
  const response = await fetch(`${target.url}/api/v1/runs/local/${project}/${runId}/ingest`, {
    method: "POST",
    headers: { ...auth(target), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`ingest ${runId}: HTTP ${response.status} ${await response.text()}`);
}
