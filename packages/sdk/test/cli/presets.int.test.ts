/**
 * `stepwise presets ls|get|put|rm` against a real server: the built-ins listed and shown, a bare
 * Vega-Lite spec saved with its slots as fields (from a file and from standard input), replaced,
 * removed, and the server's refusals with their exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chartPresetSchema } from "@stepwise/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { memoryIo } from "./memory-io.js";
import { runCliWith } from "./spawn-cli.js";

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "stepwise-presets-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

async function presets(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(["presets", ...args, "--base-url", server.url], io);
  return { code, out: io.out(), err: io.err() };
}

const spec = {
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  title: "${string:title}",
  data: { name: "table" },
  mark: "tick",
  encoding: { x: { field: "${field:value}", type: "quantitative" } },
};

describe("stepwise presets", () => {
  it("lists the built-ins and shows one as JSON", async () => {
    const list = await presets("ls");
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^id\s+kind\s+name\s+fields\n/);
    expect(list.out).toMatch(/stepwise\/line\/v0\s+built-in\s+Line\s+x, y, stroke\?\n/);
    const got = await presets("get", "stepwise/confusion-matrix/v0");
    expect(got.code).toBe(0);
    const preset = chartPresetSchema.parse(JSON.parse(got.out));
    expect(preset.fields.map((f) => f.name)).toEqual(["Actual", "Predicted", "nPredictions"]);
  });

  it("saves a bare spec with its slots as fields, replaces it from standard input, and removes it", async () => {
    const file = join(dir, "ticks.vl.json");
    writeFileSync(file, JSON.stringify(spec));
    const put = await presets("put", "local/ticks", file);
    expect([put.code, put.err]).toEqual([0, expect.stringContaining("saved preset local/ticks")]);
    const saved = chartPresetSchema.parse(JSON.parse((await presets("get", "local/ticks")).out));
    expect([saved.fields.map((f) => f.name), saved.stringFields.map((f) => f.name), saved.spec]).toEqual([
      ["value"],
      ["title"],
      spec,
    ]);
    const piped = await runCliWith(
      ["presets", "put", "local/ticks", "-", "--base-url", server.url, "--json"],
      {
        input: JSON.stringify({
          name: "Ticks",
          fields: [{ name: "value" }],
          stringFields: [{ name: "title" }],
          spec,
        }),
      },
    );
    expect(piped.code).toBe(0);
    expect(chartPresetSchema.parse(JSON.parse(piped.stdout)).name).toBe("Ticks");
    expect((await presets("ls")).out).toMatch(/local\/ticks\s+saved\s+Ticks\s+value\n/);
    const removed = await presets("rm", "local/ticks");
    expect([removed.code, removed.err]).toEqual([0, expect.stringContaining("removed preset local/ticks")]);
    expect((await presets("get", "local/ticks")).code).toBe(4);
  });

  it("puts back what get prints: a built-in copied under a new id, a saved one replaced, never another", async () => {
    const line = join(dir, "line.json");
    writeFileSync(line, (await presets("get", "stepwise/line/v0")).out);
    const copied = await presets("put", "local/line", line);
    expect([copied.code, copied.err]).toEqual([0, expect.stringContaining("saved preset local/line")]);
    const builtin = chartPresetSchema.parse(JSON.parse((await presets("get", "stepwise/line/v0")).out));
    const copy = chartPresetSchema.parse(JSON.parse((await presets("get", "local/line")).out));
    expect(copy).toMatchObject({
      id: "local/line",
      builtin: false,
      fields: builtin.fields,
      spec: builtin.spec,
    });
    const mine = join(dir, "mine.json");
    writeFileSync(mine, JSON.stringify({ ...copy, name: "My line" }, null, 2));
    expect((await presets("put", "local/line", mine)).code).toBe(0);
    expect(chartPresetSchema.parse(JSON.parse((await presets("get", "local/line")).out)).name).toBe(
      "My line",
    );
    const other = await presets("put", "local/other", mine);
    expect([other.code, other.err]).toEqual([
      2,
      expect.stringContaining('is preset "local/line", not local/other'),
    ]);
    expect((await presets("get", "local/other")).code).toBe(4);
    expect((await presets("rm", "local/line")).code).toBe(0);
  });

  it("keeps the server's refusals and usage errors as exit codes", async () => {
    writeFileSync(join(dir, "builtin.json"), JSON.stringify(spec));
    const reserved = await presets("put", "stepwise/mine", join(dir, "builtin.json"));
    expect([reserved.code, reserved.err]).toEqual([
      2,
      expect.stringContaining("reserved for built-in presets"),
    ]);
    expect((await presets("rm", "stepwise/line/v0")).code).toBe(6);
    expect((await presets("rm", "local/none")).code).toBe(4);
    const unknown = await presets("get", "local/none");
    expect([unknown.code, unknown.err]).toEqual([4, expect.stringContaining("'stepwise presets ls'")]);
    expect((await presets("get")).code).toBe(2);
    expect((await presets("frobnicate")).code).toBe(2);
    const notJson = join(dir, "not.json");
    writeFileSync(notJson, "{");
    const parsed = await presets("put", "local/x", notJson);
    expect([parsed.code, parsed.err]).toEqual([2, expect.stringContaining("not JSON")]);
  });
});
