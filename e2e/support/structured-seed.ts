/**
 * Seeds structured values for the structured-* specs without the SDK, as W&B writes them
 * (reference § 8): ingest batches whose history rows hold `{"_type":"histogram",…}` and
 * `{"_type":"table-file","path":…}` values (config `_wandb.visualize.<key>` for custom charts),
 * and the tables' JSON and images uploaded with `PUT …/files/<path>`.
 */
import { crc32, deflateSync } from "node:zlib";
import type { E2eServer } from "./e2e-server.js";

/** What a heatmap publishes on `window.__stepwiseHeatmaps` (web heatmap-registry.ts). */
export interface HeatmapEntry {
  frames: number;
  xRange: [number, number];
  yRange: [number, number];
  at: (step: number) => {
    bins: number[];
    counts: number[];
    logged: { bins: number[]; counts: number[] } | null;
  } | null;
}

/** What a Vega chart publishes on `window.__stepwiseVega` (web VegaChart.tsx). */
export interface VegaEntry {
  marks: () => Array<{ type: string; name: string | null; data: unknown[] }>;
}

declare global {
  interface Window {
    __stepwiseHeatmaps?: Record<string, HeatmapEntry>;
    __stepwiseVega?: Record<string, VegaEntry>;
  }
}

export interface Seeder {
  ingest(runId: string, batch: Record<string, unknown>): Promise<void>;
  putFile(runId: string, path: string, bytes: Uint8Array<ArrayBuffer>, type?: string): Promise<void>;
  /** Uploads `{columns, data}` as the table file and returns its history value. */
  table(
    runId: string,
    key: string,
    step: number,
    columns: string[],
    data: unknown[][],
  ): Promise<Record<string, unknown>>;
}

export function seeder(server: () => E2eServer, project: string): Seeder {
  const base = (runId: string): string => `${server().url}/api/v1/runs/local/${project}/${runId}`;
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${server().adminKey}` });
  const self: Seeder = {
    async ingest(runId, batch) {
      const response = await fetch(`${base(runId)}/ingest`, {
        method: "POST",
        headers: { ...auth(), "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
      if (!response.ok) throw new Error(`ingest ${runId}: HTTP ${response.status} ${await response.text()}`);
    },
    async putFile(runId, path, bytes, type) {
      const url = `${base(runId)}/files/${path.split("/").map(encodeURIComponent).join("/")}`;
      const headers = auth();
      if (type !== undefined) headers["content-type"] = type;
      const response = await fetch(url, { method: "PUT", headers, body: bytes });
      if (!response.ok) throw new Error(`PUT ${path}: HTTP ${response.status} ${await response.text()}`);
    },
    async table(runId, key, step, columns, data) {
      const bytes = new TextEncoder().encode(JSON.stringify({ columns, data }));
      const path = `media/table/${key}_${step}_${String(bytes.length).padStart(20, "0")}.table.json`;
      await self.putFile(runId, path, bytes, "application/json");
      return { _type: "table-file", path, size: bytes.length, ncols: columns.length, nrows: data.length };
    },
  };
  return self;
}

/** An RGB PNG of one colour. */
export function solidPng(
  width: number,
  height: number,
  rgb: readonly [number, number, number],
): Uint8Array<ArrayBuffer> {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Array.from({ length: height }, () =>
    Buffer.from([0, ...Array.from({ length: width }, () => [...rgb]).flat()]),
  );
  const file = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return new Uint8Array(file);
}
