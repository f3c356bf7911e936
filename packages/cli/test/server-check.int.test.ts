/**
 * `stepwise server --check` as an operator runs it (the built bin), and `stepwise server` on a
 * damaged database: the check lists exactly what is damaged and exits 3 (0 when nothing is);
 * the server refuses to start on a damaged file with one line naming it and the fix, no stack.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { apiPaths } from "@stepwise/protocol";
import { loadConfig, startServer, type StoreCheckReport } from "@stepwise/server";
import { flipBitInFile } from "../../server/test/store-damage.js";
import { runCli } from "./cli-bin.js";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "stepwise-check-cli-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lossAt = (step: number): number => 10 + step + Math.sin(step) / 3;

/** Two runs of 3,000 rows logged through a real server on `dir`. */
async function logTwoRuns(): Promise<void> {
  const server = await startServer(loadConfig({ port: 0, host: "127.0.0.1", data: dir }, {}), {
    log: () => {},
  });
  try {
    for (const runId of ["a", "b"]) {
      const rows = Array.from({ length: 3000 }, (_, step) => ({
        _step: step,
        loss: lossAt(step) + (runId === "b" ? 0.5 : 0),
      }));
      const response = await fetch(server.url + apiPaths.ingest({ entity: "e", project: "p", runId }), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ history: { offset: 0, rows } }),
      });
      expect(response.status).toBe(200);
    }
  } finally {
    await server.close();
  }
}

test("--check exits 0 on a sound store and 3 listing exactly the damaged chunk after a bit flips in the file", async () => {
  await logTwoRuns();
  const sound = await runCli(["server", "--check", "--data", dir]);
  expect({ code: sound.code, stderr: sound.stderr }).toEqual({ code: 0, stderr: "" });
  expect(sound.stdout).toContain("2 runs");
  expect(sound.stdout).toContain("No damage found.");

  flipBitInFile(join(dir, "stepwise.db"), new Uint8Array(new Float64Array([lossAt(2222) + 0.5]).buffer));
  const damaged = await runCli(["server", "--check", "--data", dir]);
  expect(damaged.code).toBe(3);
  expect(damaged.stdout).toContain(
    "DAMAGED run e/p/b: series chunk (series 'loss', points 2048–2999): checksum mismatch",
  );
  expect(damaged.stdout).toContain("1 damaged item(s)");
  const json = await runCli(["server", "--check", "--json", "--data", dir]);
  const report = JSON.parse(json.stdout) as StoreCheckReport;
  expect(json.code).toBe(3);
  expect(report.damaged).toEqual([
    {
      run: "e/p/b",
      item: "series chunk",
      where: "series 'loss', points 2048–2999",
      problem: "checksum mismatch",
    },
  ]);
});

test("a damaged database stops 'stepwise server' with one line naming the file and the fix; --check reports it", async () => {
  const db = join(dir, "stepwise.db");
  await writeFile(db, Buffer.alloc(32 * 1024, "garbage "));
  const start = await runCli(["server", "--port", "0", "--data", dir]);
  expect(start.code).toBe(3);
  expect(start.stdout).not.toContain("listening");
  // One error line (a line about tightening the file's mode may come before it), no stack.
  expect(start.stderr.split("\n").filter((line) => line.startsWith("stepwise: error:"))).toHaveLength(1);
  expect(start.stderr).toContain(`stepwise: error: the database file ${db} is damaged`);
  expect(start.stderr).toContain("restore");
  expect(start.stderr).not.toMatch(/\n\s+at /);

  const check = await runCli(["server", "--check", "--data", dir]);
  expect(check.code).toBe(3);
  expect(check.stdout).toMatch(/DAMAGED database \(the database file\): .*not a database/);
});

test("--check beside a server that is ingesting exits 0 and finds nothing wrong", async () => {
  const server = await startServer(loadConfig({ port: 0, host: "127.0.0.1", data: dir }, {}), {
    log: () => {},
  });
  try {
    const ingest = (runId: string, offset: number): Promise<Response> =>
      fetch(server.url + apiPaths.ingest({ entity: "e", project: "p", runId }), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          history: {
            offset,
            rows: Array.from({ length: 700 }, (_, i) => {
              const row: Record<string, number> = { _step: offset + i };
              for (let k = 0; k < 8; k++) row[`m${k}`] = lossAt(offset + i) * (k + 1);
              return row;
            }),
          },
        }),
      });
    for (const runId of ["a", "b", "c"]) expect((await ingest(runId, 0)).status).toBe(200);
    let stop = false;
    let batches = 0;
    // Batches of 700 rows keep every series' open chunk growing while the check reads.
    const writer = (async () => {
      for (let offset = 700; !stop; offset += 700) {
        for (const runId of ["a", "b", "c"]) expect((await ingest(runId, offset)).status).toBe(200);
        batches++;
      }
    })();
    const check = await runCli(["server", "--check", "--data", dir]);
    stop = true;
    await writer;
    expect(batches).toBeGreaterThan(0);
    expect({ code: check.code, stdout: check.stdout }).toMatchObject({ code: 0 });
    expect(check.stdout).toContain("No damage found.");
  } finally {
    await server.close();
  }
});
