/**
 * Runs stored before the media index existed (schema 7) are indexed from their stored rows when
 * the store is opened by this version: the media and key kinds answers are the same as for runs
 * ingested with the index in place, JSON and packed rows alike; a rebuild run twice counts
 * nothing twice.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  encodePackedIngest,
  mediaPaths,
  PACKED_INGEST_CONTENT_TYPE,
  PackedRowsBuilder,
  stringifyExtended,
} from "@stepwise/protocol";
import { DATABASE_FILE } from "../src/data-dir.js";
import { startTestServer, type TestServer } from "./http-harness.js";
import { imageValue, png } from "./support/media-values.js";

const project = { entity: "local", project: "old" };

async function answers(t: TestServer): Promise<unknown[]> {
  const media = `${mediaPaths.media(project.entity, project.project)}?key=img&runs=json,packed`;
  const kinds = mediaPaths.keyKinds(project.entity, project.project);
  return Promise.all([media, `${media}&step=3`, kinds].map(async (p) => (await t.fetch(p)).json()));
}

/** Takes the store back to what schema 7 left: no media index, no key kinds. */
function forgetIndex(dataDir: string, how: "drop" | "rebuild-again"): void {
  const db = new Database(join(dataDir, DATABASE_FILE));
  try {
    if (how === "drop") {
      db.exec("DROP TABLE media_items; DROP TABLE key_kinds; DROP TABLE rich_value_rebuilds");
      db.exec("DELETE FROM schema_migrations WHERE version >= 8");
    } else {
      db.exec("INSERT INTO rich_value_rebuilds (run_pk) SELECT pk FROM runs");
    }
  } finally {
    db.close();
  }
}

describe("media index rebuild", () => {
  test.each(["drop", "rebuild-again"] as const)(
    "runs stored without the index (%s) answer the same after a reopen",
    async (how) => {
      await using first = await startTestServer();
      const rows = [];
      for (let step = 0; step < 6; step++) {
        const img = imageValue("img", step, await png(4, 4, step), 4, 4, { caption: `s${step}` });
        rows.push({ _step: step, img: step < 2 ? step : img, note: `n${step}` });
      }
      await first.ingest({ ...project, runId: "json" }, { history: { offset: 0, rows } });
      const builder = new PackedRowsBuilder();
      for (const row of rows) builder.addObject(row, stringifyExtended);
      const packed = await first.fetch(apiPaths.ingest({ ...project, runId: "packed" }), {
        method: "POST",
        headers: { "content-type": PACKED_INGEST_CONTENT_TYPE },
        body: encodePackedIngest({}, { offset: 0, packed: builder.build() }),
      });
      expect(packed.status).toBe(200);
      const before = await answers(first);
      expect(JSON.stringify(before)).toContain("media/images/img_5_");
      await first.stop();

      forgetIndex(first.dataDir, how);
      await using second = await startTestServer({}, first.dataDir);
      expect(await answers(second)).toEqual(before);
    },
  );
});
