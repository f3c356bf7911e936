/**
 * The media files batch through a real server: many (run, key, step, index) items asked in one
 * POST get exactly the bytes that were logged for each, in request order, with the items that
 * have no file (unknown run, no media at that step, no such index, file not arrived) reported
 * as missing and the files past the byte budget as skipped; bad requests are 400s naming the
 * field (never a 5xx); an embed token may ask its own run's items only.
 */
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  apiPaths,
  decodeMediaBatch,
  embedPaths,
  embedTokenResponseSchema,
  MEDIA_BATCH_CONTENT_TYPE,
  MEDIA_BATCH_MAX_BYTES,
  MEDIA_BATCH_MAX_ITEMS,
  mediaBatchPaths,
  type MediaBatchItem,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";
import { png, sha256 } from "./support/media-values.js";

const project = { entity: "local", project: "media" };
const run = (runId: string): RunRef => ({ ...project, runId });
const batchPath = mediaBatchPaths.files(project.entity, project.project);

/** Logs `preds` as an `images/separated` list of `count` PNGs per step and uploads each file; returns the bytes by `run/step/index`. */
async function logLists(
  t: TestServer,
  runs: string[],
  steps: number[],
  count: number,
): Promise<Map<string, Buffer>> {
  const logged = new Map<string, Buffer>();
  for (const [r, runId] of runs.entries()) {
    const rows = [];
    const uploads: Array<[string, Buffer]> = [];
    for (const step of steps) {
      const filenames = [];
      for (let i = 0; i < count; i++) {
        const bytes = await png(6 + i, 5, r * 1000 + step * 10 + i);
        const path = `media/images/preds_${step}_${sha256(bytes).slice(0, 20)}.png`;
        filenames.push(path);
        uploads.push([path, bytes]);
        logged.set(`${runId}/${step}/${i}`, bytes);
      }
      rows.push({
        _step: step,
        preds: { _type: "images/separated", width: 6, height: 5, format: "png", count, filenames },
      });
    }
    expect((await t.ingest(run(runId), { history: { offset: 0, rows } })).status).toBe(200);
    for (const [path, bytes] of uploads)
      expect((await t.fetch(apiPaths.file(run(runId), path), { method: "PUT", body: bytes })).status).toBe(
        201,
      );
  }
  return logged;
}

async function batch(
  t: TestServer,
  items: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; body: Buffer }> {
  const response = await t.fetch(batchPath, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ items }),
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

describe("media files batch", () => {
  test("answers each item's logged bytes in request order, and says which have none and why", async () => {
    await using t = await startTestServer();
    const logged = await logLists(t, ["a", "b", "c"], [0, 5, 9], 3);
    // A row whose file never arrives.
    const late = await png(4, 4, 99);
    const latePath = `media/images/preds_12_${sha256(late).slice(0, 20)}.png`;
    await t.ingest(run("a"), {
      history: {
        offset: 3,
        rows: [
          {
            _step: 12,
            preds: { _type: "image-file", path: latePath, sha256: sha256(late), size: late.length },
          },
        ],
      },
    });
    const wanted: MediaBatchItem[] = [
      { run: "c", key: "preds", step: 9, index: 2 },
      { run: "a", key: "preds", step: 0, index: 0 },
      { run: "zz", key: "preds", step: 0, index: 0 },
      { run: "b", key: "preds", step: 5, index: 1 },
      { run: "b", key: "preds", step: 6, index: 0 },
      { run: "a", key: "preds", step: 5, index: 7 },
      { run: "a", key: "preds", step: 12, index: 0 },
      { run: "a", key: "preds", step: 9, index: 1 },
      { run: "c", key: "preds", step: 9, index: 2 },
    ];
    const answer = await batch(t, wanted);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe(MEDIA_BATCH_CONTENT_TYPE);
    const decoded = decodeMediaBatch(answer.body);
    expect(decoded.items.map((e) => e.status)).toEqual([
      "ok",
      "ok",
      "missing",
      "ok",
      "missing",
      "missing",
      "missing",
      "ok",
      "ok",
    ]);
    wanted.forEach((item, i) => {
      const bytes = logged.get(`${item.run}/${item.step}/${item.index}`);
      if (bytes === undefined) return expect(decoded.bytes(i)).toBeNull();
      const got = Buffer.from(decoded.bytes(i) ?? []);
      expect(sha256(got)).toBe(sha256(bytes));
      expect(got).toEqual(bytes);
      expect(decoded.items[i]).toMatchObject({ status: "ok", sha256: sha256(bytes), size: bytes.length });
    });
    const reasons = decoded.items.map((e) => (e.status === "ok" ? null : e.reason));
    expect(reasons[2]).toMatch(/no run 'zz'/);
    expect(reasons[4]).toMatch(/no media of key 'preds' at step 6/);
    expect(reasons[5]).toMatch(/has 3 item\(s\): no index 7/);
    expect(reasons[6]).toMatch(/has not arrived yet/);
    expect(decoded.items[6]).toMatchObject({ path: latePath });
    // The answer is exactly the header and the files: nothing more.
    const files = decoded.items.reduce((n, e) => n + (e.status === "ok" ? e.size : 0), 0);
    expect(answer.body.length).toBe(4 + answer.body.readUInt32BE(0) + files);
  });

  test("files past the byte budget are skipped with their URL, the rest still sent", async () => {
    await using t = await startTestServer();
    const big = randomBytes(Math.ceil(MEDIA_BATCH_MAX_BYTES * 0.6));
    const bigSha = createHash("sha256").update(big).digest("hex");
    const paths = [0, 1].map((step) => `media/images/big_${step}_${bigSha.slice(0, 20)}.png`);
    await t.ingest(run("r"), {
      history: {
        offset: 0,
        rows: paths.map((path, step) => ({
          _step: step,
          big: { _type: "image-file", path, sha256: bigSha, size: big.length },
        })),
      },
    });
    for (const path of paths)
      expect((await t.fetch(apiPaths.file(run("r"), path), { method: "PUT", body: big })).status).toBe(201);
    const answer = await batch(t, [
      { run: "r", key: "big", step: 0, index: 0 },
      { run: "r", key: "big", step: 1, index: 0 },
    ]);
    expect(answer.status).toBe(200);
    const decoded = decodeMediaBatch(answer.body);
    expect(decoded.items.map((e) => e.status)).toEqual(["ok", "skipped"]);
    expect(Buffer.from(decoded.bytes(0) ?? []).equals(big)).toBe(true);
    const skipped = decoded.items[1];
    expect(skipped?.status === "skipped" && skipped.url).toBe(
      `${apiPaths.file(run("r"), paths[1] ?? "")}?v=${bigSha}`,
    );
    const again = await t.fetch(skipped?.status === "skipped" ? (skipped.url ?? "") : "");
    expect(
      createHash("sha256")
        .update(Buffer.from(await again.arrayBuffer()))
        .digest("hex"),
    ).toBe(bigSha);
  });

  test("bad requests are 400s naming the field; a body that is not JSON is refused", async () => {
    await using t = await startTestServer();
    await logLists(t, ["a"], [0], 1);
    const cases: Array<[unknown, string]> = [
      [[], "body.items"],
      [[{ run: "a", key: "preds", step: -1, index: 0 }], "body.items[0].step"],
      [
        [
          { run: "a", key: "preds", step: 0, index: 0 },
          { run: "a", key: "preds", step: 0.5, index: 0 },
        ],
        "body.items[1].step",
      ],
      [[{ run: "a", key: "", step: 0, index: 0 }], "body.items[0].key"],
      [[{ run: "a/b", key: "preds", step: 0, index: 0 }], "body.items[0].run"],
      [[{ run: "a", key: "preds", step: 0, index: "0" }], "body.items[0].index"],
      [[{ run: "a", key: "preds", step: 0, index: 0, extra: 1 }], "body.items[0]"],
      [
        Array.from({ length: MEDIA_BATCH_MAX_ITEMS + 1 }, () => ({
          run: "a",
          key: "preds",
          step: 0,
          index: 0,
        })),
        "body.items",
      ],
    ];
    for (const [items, field] of cases) {
      const answer = await batch(t, items);
      expect(answer.status, field).toBe(400);
      const error = (
        JSON.parse(answer.body.toString()) as { error: { details: { issues: Array<{ field: string }> } } }
      ).error;
      expect(error.details.issues.map((i) => i.field)).toContain(field);
    }
    const text = await t.fetch(batchPath, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(text.status).toBe(400);
    const plain = await t.fetch(batchPath, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    expect(plain.status).toBe(415);
  });

  test("an embed token gets its own run's items and is refused any other run's", async () => {
    await using t = await startTestServer({ trustLoopback: false });
    const key = { authorization: `Bearer ${t.adminKey}` };
    for (const runId of ["a", "b"]) {
      const bytes = await png(3, 3, runId === "a" ? 1 : 2);
      const path = `media/images/p_0_${sha256(bytes).slice(0, 20)}.png`;
      const value = { _type: "image-file", path, sha256: sha256(bytes), size: bytes.length };
      expect(
        (
          await t.send(
            "POST",
            apiPaths.ingest(run(runId)),
            { history: { offset: 0, rows: [{ _step: 0, p: value }] } },
            { key: t.adminKey },
          )
        ).status,
      ).toBe(200);
      expect(
        (await t.fetch(apiPaths.file(run(runId), path), { method: "PUT", headers: key, body: bytes })).status,
      ).toBe(201);
    }
    const minted = await t.send("POST", embedPaths.token(run("a")), {}, { key: t.adminKey });
    const token = { authorization: `Bearer ${embedTokenResponseSchema.parse(await minted.json()).token}` };
    const own = await batch(t, [{ run: "a", key: "p", step: 0, index: 0 }], token);
    expect(own.status).toBe(200);
    expect(sha256(Buffer.from(decodeMediaBatch(own.body).bytes(0) ?? []))).toBe(sha256(await png(3, 3, 1)));
    const other = await batch(
      t,
      [
        { run: "a", key: "p", step: 0, index: 0 },
        { run: "b", key: "p", step: 0, index: 0 },
      ],
      token,
    );
    expect(other.status).toBe(403);
    const elsewhere = await t.fetch(mediaBatchPaths.files("local", "other"), {
      method: "POST",
      headers: { "content-type": "application/json", ...token },
      body: JSON.stringify({ items: [{ run: "a", key: "p", step: 0, index: 0 }] }),
    });
    expect(elsewhere.status).toBe(403);
    expect((await batch(t, [{ run: "b", key: "p", step: 0, index: 0 }])).status).toBe(401);
  });
});
