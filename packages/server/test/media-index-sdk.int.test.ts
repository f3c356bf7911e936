/**
 * The media index fed by the real SDK: an online run logs images (with captions), a list of
 * images, audio, and a key that holds numbers and then images; after finish() the index answers
 * each step with files that are present and whose pixels are the ones logged, thumbnails are
 * served, and the key that changed type is reported with both kinds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "fast-png";
import { afterEach, describe, expect, test } from "vitest";
import {
  keyKindsResponseSchema,
  mediaPaths,
  mediaQueryResponseSchema,
  mediaStepsResponseSchema,
  type MediaQueryResponse,
} from "@stepwise/protocol";
import { Audio, Image, init } from "@stepwise/sdk";
import { startTestServer, type TestServer } from "./http-harness.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A 3×2 RGB image whose pixels depend on `seed`. */
function pixels(seed: number): Uint8Array {
  return Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => (seed * 37 + i * 13) & 255);
}

async function media(
  t: TestServer,
  entity: string,
  query: Record<string, string>,
): Promise<MediaQueryResponse> {
  const url = `${mediaPaths.media(entity, "sdk-media")}?${new URLSearchParams(query).toString()}`;
  const response = await t.fetch(url);
  expect(response.status).toBe(200);
  return mediaQueryResponseSchema.parse(await response.json());
}

describe("media index fed by the SDK", () => {
  test("answers every logged step with the logged pixels, lists and audio, and reports a changed type", async () => {
    await using t = await startTestServer();
    const dir = mkdtempSync(join(tmpdir(), "stepwise-sdk-media-"));
    dirs.push(dir);
    const run = await init({ dir, project: "sdk-media", baseUrl: t.url, settings: { silent: true } });
    for (let step = 0; step < 6; step++) {
      run.log({
        preds: new Image({ data: pixels(step), shape: [2, 3, 3] }, { caption: `step ${step}` }),
        sample: step < 3 ? step / 10 : new Image({ data: pixels(100 + step), shape: [2, 3, 3] }),
        ...(step === 4
          ? {
              grid: [
                new Image({ data: pixels(7), shape: [2, 3, 3] }),
                new Image({ data: pixels(8), shape: [2, 3, 3] }),
              ],
              clip: new Audio(
                Float32Array.from({ length: 800 }, (_, i) => Math.sin(i / 5)),
                { sampleRate: 8000 },
              ),
            }
          : {}),
      });
    }
    await run.finish();
    const { entity, id } = run;

    const steps = await t.fetch(`${mediaPaths.mediaSteps(entity, "sdk-media")}?key=preds&runs=${id}`);
    expect(mediaStepsResponseSchema.parse(await steps.json()).runs[0]?.steps).toEqual([0, 1, 2, 3, 4, 5]);
    for (let step = 0; step < 6; step++) {
      const [item, ...rest] =
        (await media(t, entity, { key: "preds", runs: id, step: String(step), match: "exact" })).runs[0]
          ?.items ?? [];
      expect(rest).toEqual([]);
      expect(item).toMatchObject({
        step,
        type: "image",
        width: 3,
        height: 2,
        caption: `step ${step}`,
        present: true,
      });
      const png = decode(new Uint8Array(await (await t.fetch(item?.url ?? "")).arrayBuffer()));
      expect([...png.data]).toEqual([...pixels(step)]);
      const thumbnail = await t.fetch(item?.thumbnails?.["256"] ?? "");
      expect(thumbnail.status).toBe(200);
    }

    const grid = (await media(t, entity, { key: "grid", runs: id, step: "4" })).runs[0]?.items ?? [];
    expect(grid.map((i) => [i.index, i.valueType, i.present])).toEqual([
      [0, "images/separated", true],
      [1, "images/separated", true],
    ]);
    for (const [i, item] of grid.entries()) {
      const png = decode(new Uint8Array(await (await t.fetch(item.url)).arrayBuffer()));
      expect([...png.data]).toEqual([...pixels(7 + i)]);
    }
    const [clip] =
      (await media(t, entity, { key: "clip", runs: id, step: "9", match: "before" })).runs[0]?.items ?? [];
    expect(clip).toMatchObject({ step: 4, type: "audio", present: true });

    const kinds = keyKindsResponseSchema.parse(
      await (await t.fetch(`${mediaPaths.keyKinds(entity, "sdk-media")}?runs=${id}`)).json(),
    );
    const sample = kinds.keys.find((k) => k.key === "sample");
    expect(sample?.mixed).toBe(true);
    expect(sample?.kinds.map((k) => [k.kind, k.count, k.firstStep, k.lastStep])).toEqual([
      ["number", 3, 0, 2],
      ["image-file", 3, 3, 5],
    ]);
    expect(kinds.keys.find((k) => k.key === "preds")?.mixed).toBe(false);
  });
});
