/**
 * History sent packed (the SDK's upload form: binary rows, `application/vnd.stepwise.ingest+packed`):
 * exported and charted exactly like the same rows sent as JSON; a damaged body is refused with
 * a 400 naming the problem and stores nothing.
 */
import { describe, expect, it } from "vitest";
import {
  apiPaths,
  encodePackedIngest,
  PACKED_INGEST_CONTENT_TYPE,
  PackedRowsBuilder,
  stringifyExtended,
  type HistoryRow,
  type IngestBatch,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";

const ref = (runId: string): RunRef => ({ entity: "e", project: "p", runId });

function packedBody(batch: Omit<IngestBatch, "history">, offset: number, rows: HistoryRow[]): Uint8Array {
  const builder = new PackedRowsBuilder();
  for (const row of rows) builder.addObject(row, stringifyExtended);
  return encodePackedIngest(batch, { offset, packed: builder.build() });
}

function postPacked(t: TestServer, run: RunRef, body: Uint8Array): Promise<Response> {
  return t.fetch(apiPaths.ingest(run), {
    method: "POST",
    headers: { "content-type": PACKED_INGEST_CONTENT_TYPE },
    body,
  });
}

const rows: HistoryRow[] = [
  { loss: 0.5, nested: { a: 1 }, _step: 0 },
  { loss: Number.NaN, label: 'say "x"', _step: 1 },
  { _step: 2, loss: 0.25, img: { _type: "image-file", path: "media/a.png" } },
];

describe("packed history", () => {
  it("is stored and exported like the same rows sent as JSON, with the batch's other parts", async () => {
    await using t = await startTestServer();
    const response = await postPacked(t, ref("packed"), packedBody({ summary: { loss: 0.25 } }, 0, rows));
    expect(response.status).toBe(200);
    expect((await t.ingest(ref("json"), { history: { offset: 0, rows } })).status).toBe(200);
    const exported = async (run: RunRef): Promise<string> =>
      (await t.fetch(`${apiPaths.history(run)}?format=ndjson`)).text();
    expect(await exported(ref("packed"))).toBe(rows.map((row) => stringifyExtended(row)).join("\n") + "\n");
    expect(await exported(ref("packed"))).toBe(await exported(ref("json")));

    const run = (await (await t.fetch(apiPaths.run(ref("packed")))).json()) as Record<string, unknown>;
    expect(run).toMatchObject({ summary: { loss: 0.25 }, lastStep: 2, offsets: { history: 3 } });
    const series = await t.send("POST", apiPaths.series(), {
      runs: [ref("packed")],
      keys: ["loss", "nested.a"],
      buckets: 10,
    });
    const body = (await series.json()) as { series: Array<{ key: string; x: number[]; last: unknown[] }> };
    expect(body.series[0]).toMatchObject({ key: "loss", x: [0, 1, 2], last: [0.5, null, 0.25] });
    expect(body.series[1]).toMatchObject({ key: "nested.a", x: [0], last: [1] });

    // A re-send is a no-op; a gap names the offset to re-send from.
    expect((await postPacked(t, ref("packed"), packedBody({}, 0, rows))).status).toBe(200);
    const gap = await postPacked(t, ref("packed"), packedBody({}, 7, rows));
    expect(gap.status).toBe(409);
    expect(await gap.text()).toContain('"expected":3');
  });

  const good = packedBody({}, 0, rows);
  const withHeader = (header: string): Uint8Array => {
    const json = new TextEncoder().encode(header);
    const out = new Uint8Array(8 + json.length);
    out.set([0x53, 0x57, 0x42, 0x31]);
    new DataView(out.buffer).setUint32(4, json.length, true);
    out.set(json, 8);
    return out;
  };
  it.each([
    ["no magic", new TextEncoder().encode('{"batch":{}}'), 'starts with \\"SWB1\\"'],
    ["truncated rows", good.subarray(0, good.length - 5), "runs past the end"],
    ["a header that is not JSON", withHeader("{batch"), "not valid UTF-8 JSON"],
    [
      "history inside the header",
      withHeader('{"batch":{"history":{"offset":0,"rows":[]}}}'),
      "body.header.batch.history",
    ],
    ["an unknown header field", withHeader('{"batch":{},"extra":1}'), "body.header"],
    [
      "rows without historyOffset",
      new Uint8Array([...withHeader('{"batch":{}}'), 0, 0, 0, 0]),
      "historyOffset",
    ],
  ])("refuses a body with %s (400, nothing stored)", async (_name, body, message) => {
    await using t = await startTestServer();
    const response = await postPacked(t, ref("bad"), body);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect((await t.fetch(apiPaths.run(ref("bad")))).status).toBe(404);
  });

  it("refuses a JSON value that is not extended JSON, naming the row and key", async () => {
    await using t = await startTestServer();
    const builder = new PackedRowsBuilder();
    builder.addObject({ _step: 0, ok: 1 }, stringifyExtended);
    builder.addObject({ _step: 1, broken: "x" }, () => "{not json");
    const response = await postPacked(
      t,
      ref("bad"),
      encodePackedIngest({}, { offset: 0, packed: builder.build() }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("body.history.rows[1].broken");
  });

  it("answers 300 randomly damaged packed bodies with a 2xx/4xx, never a 5xx, and keeps serving", async () => {
    await using t = await startTestServer();
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const statuses = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const body = good.slice(0, random(4) === 0 ? random(good.length) : good.length);
      for (let flips = 1 + random(4); flips > 0 && body.length > 0; flips--)
        body[random(body.length)] = random(256);
      const response = await postPacked(t, ref(`fuzz-${i}`), body);
      statuses.add(response.status);
      expect(response.status, `body ${i}`).toBeLessThan(500);
      await response.arrayBuffer();
    }
    expect(statuses.has(400)).toBe(true);
    expect((await postPacked(t, ref("after"), good)).status).toBe(200);
  });
});
