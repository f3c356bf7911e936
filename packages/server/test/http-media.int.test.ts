/**
 * The media index through a real server: media logged in history as the SDK writes it (W&B's
 * JSON) is answered by key and step for several runs (exact, nearest, before, after, ranges),
 * with its file found whether it arrived before or after its row; lists give one item each.
 */
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  encodePackedIngest,
  mediaPaths,
  PACKED_INGEST_CONTENT_TYPE,
  PackedRowsBuilder,
  stringifyExtended,
  mediaQueryResponseSchema,
  mediaStepsResponseSchema,
  type MediaQueryResponse,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { imageValue, png, sha256, type ImageValue } from "./support/media-values.js";

const project = { entity: "local", project: "media" };
const run = (runId: string): RunRef => ({ ...project, runId });

async function media(t: TestServer, query: Record<string, string>): Promise<MediaQueryResponse> {
  const response = await t.fetch(
    `${mediaPaths.media(project.entity, project.project)}?${new URLSearchParams(query).toString()}`,
  );
  expect(response.status).toBe(200);
  return mediaQueryResponseSchema.parse(await response.json());
}

/** Logs `preds` at the given steps of each run (one row per step, a loss beside it); returns what was logged. */
async function logImages(t: TestServer, runs: string[], steps: number[]): Promise<Map<string, ImageValue>> {
  const logged = new Map<string, ImageValue>();
  for (const [r, runId] of runs.entries()) {
    const rows = [];
    for (const step of steps) {
      const bytes = await png(8, 6, r * 100 + step);
      const value = imageValue("preds", step, bytes, 8, 6, { caption: `${runId}@${step}` });
      logged.set(`${runId}/${step}`, value);
      rows.push({ _step: step, loss: 1 / (step + 1), preds: value });
    }
    expect((await t.ingest(run(runId), { history: { offset: 0, rows } })).status).toBe(200);
  }
  return logged;
}

describe("media index", () => {
  test("answers a key at a step for several runs: exact, nearest (a tie takes the earlier), before, after", async () => {
    await using t = await startTestServer();
    const logged = await logImages(t, ["a", "b", "c"], [0, 10, 20]);
    const at = async (step: number, match: string): Promise<Array<number | null>> =>
      (await media(t, { key: "preds", runs: "a,b,c", step: String(step), match })).runs.map((r) => r.step);
    expect(await at(10, "exact")).toEqual([10, 10, 10]);
    expect(await at(11, "exact")).toEqual([null, null, null]);
    expect(await at(14, "nearest")).toEqual([10, 10, 10]);
    expect(await at(16, "nearest")).toEqual([20, 20, 20]);
    expect(await at(15, "nearest")).toEqual([10, 10, 10]);
    expect(await at(19, "before")).toEqual([10, 10, 10]);
    expect(await at(11, "after")).toEqual([20, 20, 20]);
    expect(await at(25, "after")).toEqual([null, null, null]);
    expect(await at(1000, "nearest")).toEqual([20, 20, 20]);

    const answer = await media(t, { key: "preds", runs: "b,nope", step: "9" });
    expect(answer.runs.map((r) => [r.runId, r.found])).toEqual([
      ["b", true],
      ["nope", false],
    ]);
    const [item] = answer.runs[0]?.items ?? [];
    const want = logged.get("b/10");
    expect(item).toMatchObject({
      runId: "b",
      key: "preds",
      step: 10,
      index: 0,
      type: "image",
      valueType: "image-file",
      path: want?.path,
      sha256: want?.sha256,
      width: 8,
      height: 6,
      format: "png",
      caption: "b@10",
      present: false,
      thumbnails: null,
    });
  });

  test("a range gives every step's items in order, cut at a step boundary by limit with nextStep", async () => {
    await using t = await startTestServer();
    const steps = Array.from({ length: 30 }, (_, i) => i * 2);
    await logImages(t, ["a"], steps);
    const all = await media(t, { key: "preds", runs: "a" });
    expect(all.runs[0]?.items.map((i) => i.step)).toEqual(steps);
    const page = await media(t, { key: "preds", runs: "a", minStep: "10", maxStep: "40", limit: "5" });
    expect(page.runs[0]?.items.map((i) => i.step)).toEqual([10, 12, 14, 16, 18]);
    expect(page.runs[0]?.nextStep).toBe(20);
    const steps2 = await t.fetch(
      `${mediaPaths.mediaSteps(project.entity, project.project)}?key=preds&runs=a,zz`,
    );
    const body = mediaStepsResponseSchema.parse(await steps2.json());
    expect(body.runs[0]).toEqual({ runId: "a", found: true, steps, counts: steps.map(() => 1) });
    expect(body.runs[1]).toEqual({ runId: "zz", found: false, steps: [], counts: [] });
  });

  test("an image file that arrives before its row and one that arrives after are both found", async () => {
    await using t = await startTestServer();
    const early = await png(5, 4, 1);
    const late = await png(5, 4, 2);
    const earlyValue = imageValue("img", 0, early, 5, 4);
    const lateValue = imageValue("img", 1, late, 5, 4);
    // The early file comes before the row that names it (the run exists: a first row without media).
    await t.ingest(run("r"), { history: { offset: 0, rows: [{ _step: 0, x: 1 }] } });
    expect(
      (await t.fetch(apiPaths.file(run("r"), earlyValue.path), { method: "PUT", body: early })).status,
    ).toBe(201);
    await t.ingest(run("r"), {
      history: {
        offset: 1,
        rows: [
          { _step: 0, img: earlyValue },
          { _step: 1, img: lateValue },
        ],
      },
    });
    let answer = await media(t, { key: "img", runs: "r" });
    expect(answer.runs[0]?.items.map((i) => [i.step, i.present])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(
      (await t.fetch(apiPaths.file(run("r"), lateValue.path), { method: "PUT", body: late })).status,
    ).toBe(201);
    answer = await media(t, { key: "img", runs: "r" });
    for (const [item, bytes] of [
      [answer.runs[0]?.items[0], early],
      [answer.runs[0]?.items[1], late],
    ] as const) {
      expect(item?.present).toBe(true);
      expect(item?.sha256).toBe(sha256(bytes));
      const download = await t.fetch(item?.url ?? "");
      expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
      expect(Object.keys(item?.thumbnails ?? {})).toEqual(["256", "1024"]);
    }
  });

  test("list values give one item per element with captions, masks and boxes; other media types are typed", async () => {
    await using t = await startTestServer();
    const mask = {
      _type: "mask",
      path: "media/images/mask/seg_3_abc.mask.png",
      sha256: "0".repeat(64),
      size: 10,
    };
    const boxes = {
      _type: "boxes2D",
      path: "media/metadata/boxes2D/seg_3_abc.boxes2D.json",
      sha256: "1".repeat(64),
      size: 20,
    };
    const separated = {
      _type: "images/separated",
      width: 4,
      height: 3,
      format: "png",
      count: 2,
      filenames: ["media/images/seg_3_aaaa.png", "media/images/seg_3_bbbb.png"],
      captions: ["first", "second"],
      all_masks: [{ gt: mask }, null],
      all_boxes: [null, { predictions: boxes }],
    };
    const audio = {
      _type: "audio",
      count: 2,
      audio: [
        { _type: "audio-file", path: "media/audio/a_3_x.wav", sha256: "2".repeat(64), size: 44 },
        { _type: "audio-file", path: "media/audio/a_3_y.wav", sha256: "3".repeat(64), size: 44 },
      ],
      sampleRates: [16000, 8000],
      durations: [1.5, 2],
      captions: ["", "two"],
    };
    const video = { _type: "video-file", path: "media/videos/v_3_z.gif", sha256: "4".repeat(64), size: 9 };
    const cloud = { _type: "object3D", count: 1, filenames: ["pc_3_q.pts.json"] };
    const html = { _type: "html-file", path: "media/html/h_3_w.html", sha256: "5".repeat(64), size: 3 };
    await t.ingest(run("l"), {
      history: { offset: 0, rows: [{ _step: 3, seg: separated, a: audio, v: video, pc: cloud, h: html }] },
    });
    // The mask file arrives; the boxes file not yet.
    await t.fetch(apiPaths.file(run("l"), mask.path), { method: "PUT", body: "mask bytes" });

    const seg = (await media(t, { key: "seg", runs: "l", step: "3" })).runs[0]?.items ?? [];
    expect(seg.map((i) => [i.index, i.path, i.caption, i.width, i.height])).toEqual([
      [0, "media/images/seg_3_aaaa.png", "first", 4, 3],
      [1, "media/images/seg_3_bbbb.png", "second", 4, 3],
    ]);
    expect(seg[0]?.masks).toEqual([
      {
        name: "gt",
        path: mask.path,
        sha256: mask.sha256,
        url: apiPaths.file(run("l"), mask.path),
        classLabels: null,
      },
    ]);
    expect(seg[1]?.boxes).toEqual([
      { name: "predictions", path: boxes.path, sha256: boxes.sha256, url: null, classLabels: null },
    ]);
    const a = (await media(t, { key: "a", runs: "l", step: "3" })).runs[0]?.items ?? [];
    expect(a.map((i) => [i.type, i.path, i.caption, i.extra])).toEqual([
      ["audio", "media/audio/a_3_x.wav", "", { sampleRate: 16000, duration: 1.5 }],
      ["audio", "media/audio/a_3_y.wav", "two", { sampleRate: 8000, duration: 2 }],
    ]);
    const one = async (key: string): Promise<[string, string, string | null] | undefined> => {
      const item = (await media(t, { key, runs: "l", step: "3" })).runs[0]?.items[0];
      return item && [item.type, item.path, item.format];
    };
    expect(await one("v")).toEqual(["video", video.path, "gif"]);
    expect(await one("pc")).toEqual(["object3D", "media/object3D/pc_3_q.pts.json", "pts.json"]);
    expect(await one("h")).toEqual(["html", html.path, "html"]);
  });

  test("packed rows are indexed like JSON rows", async () => {
    await using t = await startTestServer();
    const bytes = await png(3, 3, 7);
    const value = imageValue("p", 4, bytes, 3, 3);
    const builder = new PackedRowsBuilder();
    builder.addObject({ _step: 4, loss: 0.5, p: value, note: "packed" }, stringifyExtended);
    const response = await t.fetch(apiPaths.ingest(run("pk")), {
      method: "POST",
      headers: { "content-type": PACKED_INGEST_CONTENT_TYPE },
      body: encodePackedIngest({}, { offset: 0, packed: builder.build() }),
    });
    expect(response.status).toBe(200);
    const item = (await media(t, { key: "p", runs: "pk", step: "4" })).runs[0]?.items[0];
    expect(item?.path).toBe(value.path);
  });
});
