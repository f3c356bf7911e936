/**
 * The limits table (protocol limits.ts) on every write path: JSON and packed ingest alike refuse
 * an over-deep value, an over-long key and a name with control or bidi characters with a 400
 * naming the row and key, never a 5xx, and store nothing of the refused batch. The packed
 * header once skipped the depth check: config nested 9,000 deep was stored and 10,000 was a 500.
 */
import { describe, expect, it } from "vitest";
import {
  apiPaths,
  LIMITS,
  PACKED_INGEST_CONTENT_TYPE,
  PackedRowsBuilder,
  stringifyExtended,
  type HistoryRow,
  type RunRef,
} from "@stepwise/protocol";
import { startTestServer, type TestServer } from "./http-harness.js";

const ref = (runId: string): RunRef => ({ entity: "e", project: "p", runId });

/** `{"x":{"x":…1…}}` nested `depth` levels, as text (the encoders overflow long before 10,000). */
function deepText(depth: number): string {
  return '{"x":'.repeat(depth) + "1" + "}".repeat(depth);
}

function deepValue(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

/** A packed body from header text (so that it may nest deeper than any encoder goes) and rows. */
function packedBody(headerText: string, rows: HistoryRow[] | null): Buffer {
  const header = Buffer.from(headerText, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  let packed = Buffer.alloc(0);
  if (rows !== null) {
    const builder = new PackedRowsBuilder();
    for (const row of rows) builder.addObject(row, stringifyExtended);
    packed = Buffer.from(builder.build());
  }
  return Buffer.concat([Buffer.from("SWB1"), length, header, packed]);
}

function postPacked(t: TestServer, run: RunRef, body: Buffer): Promise<Response> {
  return t.fetch(apiPaths.ingest(run), {
    method: "POST",
    headers: { "content-type": PACKED_INGEST_CONTENT_TYPE },
    body,
  });
}

function postJson(t: TestServer, run: RunRef, text: string): Promise<Response> {
  return t.fetch(apiPaths.ingest(run), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: text,
  });
}

async function expectRefused(response: Response, field: string | RegExp, message: RegExp): Promise<void> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as {
    error: { code: string; message: string; details: { issues: Array<{ field: string; message: string }> } };
  };
  expect(body.error.code).toBe("INVALID_DATA");
  expect(body.error.details.issues[0]?.field).toMatch(field);
  expect(body.error.details.issues[0]?.message).toMatch(message);
}

async function expectNoRun(t: TestServer, run: RunRef): Promise<void> {
  expect((await t.fetch(apiPaths.run(run))).status).toBe(404);
}

describe("value depth", () => {
  it.each([9_000, 10_000, 100_000])(
    "packed header config nested %i deep is a 400, never stored",
    async (depth) => {
      await using t = await startTestServer();
      const header = `{"batch":{"run":{"config":{"deep":${deepText(depth)}}}}}`;
      await expectRefused(
        await postPacked(t, ref("d"), packedBody(header, null)),
        /^body\.header/,
        /nests deeper/,
      );
      await expectNoRun(t, ref("d"));
    },
  );

  it.each([9_000, 10_000])("JSON config nested %i deep is a 400", async (depth) => {
    await using t = await startTestServer();
    const text = `{"run":{"config":{"deep":${deepText(depth)}}}}`;
    await expectRefused(await postJson(t, ref("d"), text), "body", /nests deeper/);
    await expectNoRun(t, ref("d"));
  });

  it("a value of exactly the limit is stored on both paths; one level more names the row and key", async () => {
    await using t = await startTestServer();
    const ok = deepValue(LIMITS.valueDepth);
    const over = deepValue(LIMITS.valueDepth + 1);
    const okRows = [{ _step: 0, fine: ok }];
    // Packed: the history value, the header's config, a meta config record and the summary.
    expect(
      (await postPacked(t, ref("p"), packedBody(stringifyExtended({ batch: {}, historyOffset: 0 }), okRows)))
        .status,
    ).toBe(200);
    await expectRefused(
      await postPacked(
        t,
        ref("p"),
        packedBody(stringifyExtended({ batch: {}, historyOffset: 1 }), [{ _step: 1, a: 1, deep: over }]),
      ),
      "body.history.rows[0].deep",
      /nests deeper than 100 levels/,
    );
    await expectRefused(
      await postPacked(
        t,
        ref("p"),
        packedBody(stringifyExtended({ batch: { run: { config: { cfg: over } } } }), null),
      ),
      "body.header.batch.run.config.cfg",
      /nests deeper than 100/,
    );
    await expectRefused(
      await postPacked(
        t,
        ref("p"),
        packedBody(
          stringifyExtended({
            batch: { meta: { offset: 0, records: [{ t: "config", update: { lr: 1, cfg: over } }] } },
          }),
          null,
        ),
      ),
      "body.header.batch.meta.records[0].update.cfg",
      /nests deeper/,
    );
    await expectRefused(
      await postPacked(t, ref("p"), packedBody(stringifyExtended({ batch: { summary: { s: over } } }), null)),
      "body.header.batch.summary.s",
      /nests deeper/,
    );
    // JSON: rows and lines.
    expect((await t.ingest(ref("j"), { history: { offset: 0, rows: okRows } })).status).toBe(200);
    await expectRefused(
      await t.ingest(ref("j"), { history: { offset: 1, rows: [{ _step: 1 }, { _step: 2, deep: over }] } }),
      "body.history.rows[1].deep",
      /nests deeper/,
    );
    await expectRefused(
      await t.ingest(ref("j"), {
        history: { offset: 1, lines: [stringifyExtended({ _step: 1, deep: over })] },
      }),
      "body.history.lines[0].deep",
      /nests deeper/,
    );
    // Nothing of a refused batch is kept: each run holds its one good row, exactly as sent.
    for (const run of [ref("p"), ref("j")]) {
      const stored = (await (await t.fetch(apiPaths.run(run))).json()) as {
        offsets: { history: number };
        config: unknown;
      };
      expect(stored.offsets.history).toBe(1);
      expect(stored.config).toEqual({});
      const text = await (await t.fetch(`${apiPaths.history(run)}?format=ndjson`)).text();
      expect(JSON.parse(text)).toEqual(okRows[0]);
    }
  });
});

describe("key length", () => {
  const long = "k".repeat(LIMITS.keyLength + 1);
  it("a key over 1,024 characters is a 400 on both paths, at the top level or nested", async () => {
    await using t = await startTestServer();
    await expectRefused(
      await postPacked(
        t,
        ref("p"),
        packedBody(stringifyExtended({ batch: {}, historyOffset: 0 }), [{ [long]: 1 }]),
      ),
      /^body\.history/,
      /1–1024 characters/,
    );
    await expectRefused(
      await postPacked(
        t,
        ref("p"),
        packedBody(stringifyExtended({ batch: {}, historyOffset: 0 }), [{ v: { [long]: 1 } }]),
      ),
      "body.history.rows[0].v",
      /key that is 1025 characters long/,
    );
    await expectRefused(
      await postPacked(
        t,
        ref("p"),
        packedBody(stringifyExtended({ batch: { run: { config: { opt: { [long]: 1 } } } } }), null),
      ),
      "body.header.batch.run.config.opt",
      /at most 1024/,
    );
    await expectRefused(
      await t.ingest(ref("j"), { history: { offset: 0, rows: [{ v: { [long]: 1 } }] } }),
      "body.history.rows[0].v",
      /at most 1024/,
    );
    await expectRefused(
      await t.ingest(ref("j"), {
        meta: { offset: 0, records: [{ t: "summary", ops: [{ op: "set", path: ["a", long], value: 1 }] }] },
      }),
      "body.meta.records[0].ops[0].path",
      /at most 1024/,
    );
    await expectNoRun(t, ref("p"));
    await expectNoRun(t, ref("j"));
  });
});

describe("names", () => {
  it.each([
    ["name", { name: "evil\u202egnp.exe" }, "body.run.name"],
    ["group", { group: "g\u2066x" }, "body.run.group"],
    ["job type", { jobType: "train\u0000" }, "body.run.jobType"],
    ["tag", { tags: ["ok", "t\u200f"] }, "body.run.tags[1]"],
    ["long name", { name: "n".repeat(257) }, "body.run.name"],
    ["long group", { group: "g".repeat(257) }, "body.run.group"],
  ])(
    "a run %s with control or bidi characters or over its length is a 400 on both paths",
    async (_label, run, field) => {
      await using t = await startTestServer();
      await expectRefused(await t.ingest(ref("j"), { run }), field, /control or bidirectional|at most 256/);
      await expectRefused(
        await postPacked(t, ref("p"), packedBody(stringifyExtended({ batch: { run } }), null)),
        field.replace("body.", "body.header.batch."),
        /control or bidirectional|at most 256/,
      );
      await expectNoRun(t, ref("j"));
      await expectNoRun(t, ref("p"));
    },
  );

  it("a rename, tags or notes over the limits in a meta record or a PATCH is a 400 and changes nothing", async () => {
    await using t = await startTestServer();
    expect((await t.ingest(ref("r"), { run: { name: "fine" } })).status).toBe(200);
    const meta = (record: Record<string, unknown>): Promise<Response> =>
      t.ingest(ref("r"), { meta: { offset: 0, records: [{ t: "run-update", ...record }] } } as never);
    await expectRefused(await meta({ name: "a\u202eb" }), "body.meta.records[0].name", /U\+202E/);
    await expectRefused(await meta({ tags: ["x".repeat(65)] }), "body.meta.records[0].tags[0]", /at most 64/);
    await expectRefused(
      await meta({ notes: "n".repeat(1_000_001) }),
      "body.meta.records[0].notes",
      /at most 1000000/,
    );
    await expectRefused(
      await t.send("PATCH", apiPaths.run(ref("r")), { name: "x\u2067" }),
      "body.name",
      /bidirectional/,
    );
    await expectRefused(
      await t.send("PATCH", apiPaths.run(ref("r")), { config: { c: deepValue(101) } }),
      "body.config.c",
      /nests deeper/,
    );
    const stored = (await (await t.fetch(apiPaths.run(ref("r")))).json()) as Record<string, unknown>;
    expect(stored).toMatchObject({ name: "fine", tags: [], notes: "", config: {}, offsets: { meta: 0 } });
  });

  it("a project or run id with a bidi override in the path is a 400", async () => {
    await using t = await startTestServer();
    const response = await t.ingest(
      { entity: "e", project: "p", runId: "abc\u202edef" },
      { run: { name: "x" } },
    );
    expect(response.status).toBe(400);
    const project = await t.ingest(
      { entity: "e", project: "pro\u2066j", runId: "abc" },
      { run: { name: "x" } },
    );
    expect(project.status).toBe(400);
  });
});
