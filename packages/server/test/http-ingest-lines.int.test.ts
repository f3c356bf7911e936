/**
 * History sent as `lines` (each row's text, as W&B's file_stream sends it): stored verbatim and
 * exported exactly, equal to the same rows sent as objects; bad lines are refused, naming them.
 */
import { describe, expect, it } from "vitest";
import { apiPaths, type RunRef } from "@stepwise/protocol";
import { startTestServer } from "./http-harness.js";

const ref = (runId: string): RunRef => ({ entity: "e", project: "p", runId });

async function exportText(t: { fetch(path: string): Promise<Response> }, run: RunRef): Promise<string> {
  const response = await t.fetch(`${apiPaths.run(run)}/history?format=ndjson`);
  expect(response.status).toBe(200);
  return response.text();
}

describe("history lines", () => {
  it("stores each line as sent and answers series from it, like rows sent as objects", async () => {
    await using t = await startTestServer();
    const lines = [
      '{"loss":0.5,"nested":{"a":1},"_step":0}',
      '{"loss":NaN,"label":"x","_step":1}',
      '{"loss":0.25,"_step":2}',
    ];
    expect((await t.ingest(ref("lines"), { history: { offset: 0, lines } })).status).toBe(200);
    expect(await exportText(t, ref("lines"))).toBe(lines.join("\n") + "\n");

    const rows = [
      { loss: 0.5, nested: { a: 1 }, _step: 0 },
      { loss: Number.NaN, label: "x", _step: 1 },
      { loss: 0.25, _step: 2 },
    ];
    expect((await t.ingest(ref("rows"), { history: { offset: 0, rows } })).status).toBe(200);
    expect(await exportText(t, ref("rows"))).toBe(await exportText(t, ref("lines")));

    const series = await t.send("POST", "/api/v1/series", {
      runs: [ref("lines"), ref("rows")],
      keys: ["loss", "nested.a"],
      xAxis: "_step",
      buckets: 10,
    });
    const body = (await series.json()) as { series: Array<{ key: string; x: number[]; last: unknown[] }> };
    const loss = body.series.filter((s) => s.key === "loss");
    expect(loss).toHaveLength(2);
    expect(loss[0]).toMatchObject({ x: [0, 1, 2], last: [0.5, null, 0.25] });
    expect(loss[1]).toMatchObject({ x: [0, 1, 2], last: [0.5, null, 0.25] });
  });

  it.each([
    ["not JSON", "{loss:1}", "is not valid JSON"],
    ["not an object", "[1,2]", "must be a JSON object"],
    ["too deep", "[".repeat(200) + "]".repeat(200), "must be a JSON object"],
    ["nested too deep", `{"a":${"[".repeat(200)}${"]".repeat(200)}}`, "nests deeper"],
  ])("refuses a line that is %s with a 400 naming it, storing nothing", async (_name, bad, message) => {
    await using t = await startTestServer();
    const response = await t.ingest(ref("bad"), { history: { offset: 0, lines: ['{"ok":1}', bad] } });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("history.lines[1]");
    expect(text).toContain(message);
    expect((await t.fetch(apiPaths.run(ref("bad")))).status).toBe(404);
  });

  it("needs exactly one of rows and lines", async () => {
    await using t = await startTestServer();
    const both = await t.send("POST", apiPaths.ingest(ref("x")), {
      history: { offset: 0, rows: [], lines: [] },
    });
    expect(both.status).toBe(400);
    expect(await both.text()).toContain("exactly one of rows or lines");
  });

  it("re-encodes a line that holds a raw line break, so the stored history stays one row per line", async () => {
    await using t = await startTestServer();
    const response = await t.ingest(ref("nl"), { history: { offset: 0, lines: ['{"a":\n1,"_step":0}'] } });
    expect(response.status).toBe(200);
    expect(await exportText(t, ref("nl"))).toBe('{"a":1,"_step":0}\n');
  });
});
