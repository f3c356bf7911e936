/**
 * A PostgreSQL database from before schema 5 (no media index, key kinds, histograms or table
 * versions) is indexed from its stored rows when the store opens: the rows logged then are
 * found by key and step as if logged now, once (a second open adds nothing), and the run goes
 * on ingesting with the index complete. Real PostgreSQL (support/postgres-process.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringifyExtended } from "@stepwise/protocol";
import { blankRun } from "../src/domain/blank-run.js";
import { openPostgresStore } from "../src/store/postgres/open-postgres-store.js";
import { openPool } from "../src/store/postgres/pg-database.js";
import { insertRun } from "../src/store/postgres/pg-run-table.js";
import { migrate } from "../src/store/postgres/pg-schema.js";
import { runRef } from "./store-contract/contract-setup.js";
import { postgresMissing, startPostgres, type PostgresProcess } from "./support/postgres-process.js";

const missing = postgresMissing();
let server: PostgresProcess | null = null;

beforeAll(async () => {
  if (missing === null) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

const project = { entity: "team", project: "proj" };

function image(step: number): Record<string, unknown> {
  return {
    _type: "image-file",
    path: `media/images/i_${step}.png`,
    sha256: "ab".repeat(32),
    size: 9,
    width: 2,
    height: 1,
  };
}

describe.skipIf(missing !== null)(
  `PostgreSQL media index of older runs${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it("indexes rows stored before schema 5 at open, once, and keeps indexing new rows", async () => {
      if (server === null) throw new Error("the PostgreSQL server did not start");
      const url = await server.createDatabase();
      const rows = [
        { _step: 0, img: image(0), note: "a", h: { _type: "histogram", bins: [0, 1, 2], values: [3, 4] } },
        { _step: 4, img: image(4), loss: 0.5 },
      ];
      const pool = openPool(url, 1);
      try {
        await migrate(pool, url, 4);
        const run = { ...blankRun(runRef("old"), 5), name: "old", ordinal: 1 };
        const pk = await insertRun(pool, { ...run, offsets: { ...run.offsets, history: rows.length } });
        for (const [i, row] of rows.entries())
          await pool.query(
            "INSERT INTO history_rows (run_pk, row_index, step, body) VALUES ($1, $2, $3, $4)",
            [pk, i, row._step, stringifyExtended(row)],
          );
      } finally {
        await pool.end();
      }
      for (let open = 0; open < 2; open++) {
        const store = await openPostgresStore(url);
        try {
          expect(await store.listMediaSteps(project, "img", ["old"])).toEqual([
            { runId: "old", found: true, steps: [0, 4], counts: [1, 1] },
          ]);
          const kinds = await store.listKeyKinds(project, ["old"], null);
          expect(kinds.map((k) => [k.key, k.kind, k.count]).sort()).toEqual([
            ["h", "histogram", 1],
            ["img", "image-file", 2],
            ["note", "string", 1],
          ]);
          const histograms = await store.structured.readHistograms(runRef("old"), "h", 0, 10);
          expect(histograms?.map((h) => [h.step, [...h.edges], [...h.counts]])).toEqual([
            [0, [0, 1, 2], [3, 4]],
          ]);
        } finally {
          await store.close();
        }
      }
      const store = await openPostgresStore(url);
      try {
        await store.applyBatch(
          runRef("old"),
          { history: { offset: 2, rows: [{ _step: 6, img: image(6) }] } },
          9,
        );
        const [steps] = await store.listMediaSteps(project, "img", ["old"]);
        expect(steps?.steps).toEqual([0, 4, 6]);
      } finally {
        await store.close();
      }
    });
  },
);
