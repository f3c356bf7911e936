/**
 * Media and tables logged by the real `wandb` client, unmodified (fixtures/wandb/log_media.py):
 * `wandb.Image` from a numpy array and from a PNG file, `wandb.Histogram` from a sequence and
 * from `np_histogram`, and a `wandb.Table`, at two steps. The files arrive through W&B's upload
 * URLs (CreateRunFiles) and the history values in W&B's JSON; Stepwise's own API must then show
 * them as it shows its own SDK's: the media index with each image's pixels as logged, histogram
 * heatmaps with the logged bins and counts, tables with the logged rows. The oldest and the newest
 * client: 0.18.7 looks the table's artifact up through GraphQL from Python before logging it (a
 * query error there kills the script); 0.22.3 and 0.25.1 passed it by hand. Both log each table as
 * a run artifact too (wandb-artifacts.int.test.ts has the artifact protocol).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, test } from "vitest";
import { oldestAndNewestWandbVersions, useWandb } from "./support/wandb-fixture.js";
import { MEDIA_PACKAGES } from "./support/wandb-venv.js";

interface Logged {
  entity: string;
  project: string;
  id: string;
  steps: Array<{
    img_array: number[][][];
    img_file: number[][][];
    hist_counts: number[];
    hist_edges: number[];
    table_rows: unknown[][];
  }>;
}

interface MediaAnswer {
  runs: Array<{
    step: number | null;
    items: Array<{
      valueType: string;
      present: boolean;
      url: string;
      width: number;
      height: number;
      caption: string | null;
    }>;
  }>;
}

/** An image's pixels as rows of [r, g, b], decoded from the bytes the server serves. */
async function pixels(bytes: Buffer): Promise<number[][][]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return Array.from({ length: info.height }, (_, y) =>
    Array.from({ length: info.width }, (_, x) => {
      const at = (y * info.width + x) * info.channels;
      return [data[at] ?? -1, data[at + 1] ?? -1, data[at + 2] ?? -1];
    }),
  );
}

const close = (values: number[]): number[] => values.map((v) => Math.round(v * 1e9) / 1e9);

describe.each(oldestAndNewestWandbVersions())("wandb %s media", (version) => {
  const w = useWandb(version, "media", { extras: MEDIA_PACKAGES });

  test("images, histograms and tables read back through Stepwise's API as the script logged them", async () => {
    const out = join(w.dir, "media.json");
    await w.script("log_media.py", [out]);
    const logged = JSON.parse(await readFile(out, "utf8")) as Logged;
    const path = `/runs/${logged.entity}/${logged.project}/${logged.id}`;

    for (const [step, want] of logged.steps.entries()) {
      for (const key of ["img_array", "img_file"] as const) {
        const query = `key=${key}&runs=${logged.id}&step=${step}&match=exact`;
        const answer = JSON.parse(
          await w.api(`/media/${logged.entity}/${logged.project}?${query}`),
        ) as MediaAnswer;
        const run = answer.runs[0];
        expect(run?.step, `${key} at step ${step}`).toBe(step);
        expect(run?.items).toHaveLength(1);
        const item = run?.items[0];
        expect(item?.valueType).toBe("image-file");
        expect(item?.present).toBe(true);
        expect([item?.width, item?.height]).toEqual([want[key][0]?.length, want[key].length]);
        expect(item?.caption).toBe(key === "img_array" ? `array ${step}` : null);
        expect(await pixels(await w.bytes(item?.url ?? ""))).toEqual(want[key]);
      }
    }

    for (const key of ["hist_seq", "hist_np"]) {
      const heatmap = (await w.post(`${path}/histograms/query`, { key })) as {
        exact: boolean;
        count: number;
        histograms?: Array<{ step: number; edges: number[]; counts: number[] }>;
      };
      expect([heatmap.exact, heatmap.count]).toEqual([true, 2]);
      expect(
        heatmap.histograms?.map((h) => ({ step: h.step, edges: close(h.edges), counts: h.counts })),
      ).toEqual(logged.steps.map((s, step) => ({ step, edges: close(s.hist_edges), counts: s.hist_counts })));
    }

    const tables = JSON.parse(await w.api(`${path}/tables`)) as {
      tables: Array<{ key: string; versions: Array<{ step: number; state: string; rows: number }> }>;
    };
    expect(tables.tables.map((t) => t.key)).toEqual(["table"]);
    expect(tables.tables[0]?.versions.map((v) => [v.step, v.state, v.rows])).toEqual([
      [0, "ready", 5],
      [1, "ready", 5],
    ]);
    for (const [step, want] of logged.steps.entries()) {
      const page = (await w.post(`${path}/tables/query`, { key: "table", step })) as {
        columns: string[];
        totalRows: number;
        rows: Array<{ index: number; cells: unknown[] }>;
      };
      expect(page.columns).toEqual(["id", "label", "score"]);
      expect(page.totalRows).toBe(want.table_rows.length);
      expect(page.rows.map((row) => row.cells)).toEqual(want.table_rows);
    }

    // Both clients also log each table as a run artifact (`run-<id>-table`, type `run_table`),
    // one version per logged table: committed to Stepwise's artifact store with the table's rows.
    const artifacts = JSON.parse(await w.api(`/artifacts/${logged.entity}/${logged.project}`)) as {
      collections: Array<{ name: string; type: string; versionCount: number }>;
    };
    expect(artifacts.collections.map((c) => [c.name, c.type, c.versionCount])).toEqual([
      [`run-${logged.id}-table`, "run_table", 2],
    ]);
    for (const [step, want] of logged.steps.entries()) {
      const manifest = JSON.parse(
        await w.api(`/artifacts/${logged.entity}/${logged.project}/run-${logged.id}-table/v${step}/manifest`),
      ) as { entries: Array<{ path: string; url: string }> };
      expect(manifest.entries.map((e) => e.path)).toEqual(["table.table.json"]);
      const table = JSON.parse((await w.bytes(manifest.entries[0]?.url ?? "")).toString()) as {
        data: unknown;
      };
      expect(table.data).toEqual(want.table_rows);
    }

    // The history rows keep W&B's values (the UI's media panels read them as Stepwise's own).
    const rows = await w.history(path);
    expect(rows.map((row) => [row["_step"], row["loss"]])).toEqual([
      [0, 1],
      [1, 0.5],
    ]);
    const kinds = JSON.parse(
      await w.api(`/key-kinds/${logged.entity}/${logged.project}?runs=${logged.id}`),
    ) as { keys: Array<{ key: string; kinds: Array<{ kind: string; panel: string }> }> };
    const kindOf = Object.fromEntries(kinds.keys.map((k) => [k.key, k.kinds.map((kind) => kind.kind)]));
    expect(kindOf).toMatchObject({
      img_array: ["image-file"],
      img_file: ["image-file"],
      hist_seq: ["histogram"],
      hist_np: ["histogram"],
      table: ["table-file"],
    });
  }, 300_000);
});
