/** `stepwise runs entity/project` against a real server: table, JSON lines, filters, order, limit. */
import { parseExtended } from "@stepwise/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/api-server.js";
import { main } from "../../src/cli/main.js";
import { memoryIo } from "./memory-io.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const accs = [0.5, 0.95, 0.7, 0.99];
  for (const [i, acc] of accs.entries()) {
    await server.ingest(
      { entity: "team", project: "p", runId: `run-${i}` },
      {
        run: { name: `name-${i}`, startTime: 1_700_000_000 + i * 60 },
        history: { offset: 0, rows: [{ _step: 0, _runtime: 0, _timestamp: 1_700_000_000, acc }] },
        summary: { "val/acc": acc },
        ...(i === 3 ? {} : { exit: { exitCode: 0, runtime: 125 } }),
      },
    );
  }
});
afterAll(async () => server.close());

async function runs(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(["runs", "team/p", "--base-url", server.url, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("stepwise runs", () => {
  it("prints a table of id, name, state, created, runtime and last step, newest first", async () => {
    const { code, out, err } = await runs();
    expect({ code, err }).toEqual({ code: 0, err: "" });
    const [header, ...rows] = out.trimEnd().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual(["ID", "NAME", "STATE", "CREATED (UTC)", "RUNTIME", "LAST STEP"]);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(["run-3", "run-2", "run-1", "run-0"]);
    expect(rows[3]).toMatch(/^run-0\s+name-0\s+finished\s+2023-11-14 22:13\s+\S+\s+0$/);
  });

  it("filters and orders on summary values, as JSON lines", async () => {
    const { code, out } = await runs(
      "--filter",
      "summary.val/acc>0.9",
      "--order",
      "-summary.val/acc",
      "--json",
    );
    expect(code).toBe(0);
    const found = out
      .trimEnd()
      .split("\n")
      .map((line) => parseExtended(line) as { id: string; summary: Record<string, unknown> });
    expect(found.map((run) => [run.id, run.summary["val/acc"]])).toEqual([
      ["run-3", 0.99],
      ["run-1", 0.95],
    ]);
  });

  it("ANDs repeated --filter options", async () => {
    const { out } = await runs("--filter", "state=finished", "--filter", "summary.val/acc<0.9", "--json");
    expect(
      out
        .trimEnd()
        .split("\n")
        .map((line) => (parseExtended(line) as { id: string }).id),
    ).toEqual(["run-2", "run-0"]);
  });

  it("stops at --limit and says how many more there are", async () => {
    const { code, out, err } = await runs("--limit", "2", "--order", "createdAt");
    expect(code).toBe(0);
    expect(
      out
        .trimEnd()
        .split("\n")
        .slice(1)
        .map((row) => row.split(/\s+/)[0]),
    ).toEqual(["run-0", "run-1"]);
    expect(err).toBe("showing 2 of 4 runs; raise --limit for more\n");
  });

  it("exits 2 naming a filter it cannot read", async () => {
    const { code, err } = await runs("--filter", "accuracy>0.9");
    expect(code).toBe(2);
    expect(err).toMatch(/filter "accuracy>0\.9": the field must be state, tags/);
    expect(err).toMatch(/Run 'stepwise runs --help' for usage\./);
  });

  it("exits 2 naming a malformed filter instead of matching nothing", async () => {
    for (const [filter, reason] of [
      ["summary.val/acc >> 0.9", /holds another operator/],
      ["summary.val/acc > 0.9x", /> compares numbers and "0\.9x" is not one/],
    ] as const) {
      const { code, out, err } = await runs("--filter", filter);
      expect({ code, out }).toEqual({ code: 2, out: "" });
      expect(err).toMatch(reason);
    }
  });

  it("exits 4 naming an unknown project and the entity's projects, not an empty table", async () => {
    const io = memoryIo();
    const code = await main(["runs", "team/nosuch", "--base-url", server.url], io);
    expect({ code, out: io.out() }).toEqual({ code: 4, out: "" });
    expect(io.err()).toBe(`stepwise: error: no project "team/nosuch" on ${server.url} (its projects: p)\n`);
    const other = memoryIo();
    expect(await main(["runs", "nobody/p", "--base-url", server.url], other)).toBe(4);
    expect(other.err()).toMatch(/entity "nobody" has no projects/);
    // A project whose filter matches nothing is still an empty answer, exit 0.
    const { code: none, err } = await runs("--filter", "summary.val/acc>2");
    expect({ none, err }).toEqual({ none: 0, err: "" });
  });

  it("prints its help with --help", async () => {
    const io = memoryIo();
    expect(await main(["runs", "--help"], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: stepwise runs <entity\/project> \[options\]/);
  });
});
