/**
 * One writer per run (issue: run identity). Two processes that use the same run id never have
 * their rows merged or dropped as re-sends: the server keeps one process's rows, whole, and the
 * other is refused loudly and keeps its rows on its own disk. A later `init()` with a taken id
 * fails unless it resumes, and a resume continues after the last stored step. Every check
 * compares the server's rows with the values the processes logged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, init, iterateHistory, UsageError } from "../src/index.js";
import { startTestServer, type TestServer } from "./support/api-server.js";
import { startUploadChild } from "./support/upload-child.js";

let server: TestServer;
let root: string;
beforeAll(async () => {
  server = await startTestServer();
  root = mkdtempSync(join(tmpdir(), "stepwise-identity-"));
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function serverRows(id: string): Promise<Array<Record<string, unknown>>> {
  const api = new Api({ baseUrl: server.url });
  const out: Array<Record<string, unknown>> = [];
  for await (const row of (await api.run(`local/identity/${id}`)).scanHistory()) out.push(row);
  return out;
}

/** What a process with tag `who` logged: rows { who, i } for i = 0 … count − 1, from `fromStep`. */
function logged(who: number, count: number, fromStep = 0): Array<{ who: number; i: number; _step: number }> {
  return Array.from({ length: count }, (_, i) => ({ who, i, _step: fromStep + i }));
}

function pick(rows: Array<Record<string, unknown>>): Array<{ who: unknown; i: unknown; _step: unknown }> {
  return rows.map((row) => ({ who: row.who, i: row.i, _step: row._step }));
}

describe("run identity", () => {
  it("two processes with the same id at once: the server keeps one whole, the other is refused and keeps its rows", async () => {
    const id = "same-id-at-once";
    const children = [1, 2].map((who) =>
      startUploadChild("writer-child.mjs", [join(root, `p${who}`), server.url, id, String(who), "3000"]),
    );
    const exits = await Promise.all(children.map((child) => child.exit));
    const stored = await serverRows(id);
    const winner = stored[0]?.who;
    expect([1, 2]).toContain(winner);
    expect(pick(stored)).toEqual(logged(winner as number, 3000));

    const loser = winner === 1 ? 2 : 1;
    const loserExit = exits[loser - 1];
    const said = `${loserExit?.stderr ?? ""}${JSON.stringify(loserExit?.lines ?? [])}`;
    expect(said).toMatch(/already exists/);
    // Refused at init() (the id was taken by then), or at upload with the rows kept on disk.
    if (loserExit?.code === 0) {
      const kept: Array<Record<string, unknown>> = [];
      const where = await children[loser - 1]?.run;
      for (const row of iterateHistory(where?.dir ?? "")) kept.push(row);
      expect(pick(kept)).toEqual(logged(loser, 3000));
      expect(said).toMatch(/start it with resume: "allow"/);
    } else expect(loserExit?.code).toBe(3);
  });

  it("a later init() with a taken id and no resume fails with a UsageError, and stores nothing", async () => {
    const id = "taken-later";
    const first = startUploadChild("writer-child.mjs", [join(root, "t1"), server.url, id, "1", "200"]);
    expect((await first.exit).code).toBe(0);
    const error = await init({ dir: join(root, "t2"), baseUrl: server.url, id, project: "identity" }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/already exists; to continue it pass resume: "allow"/);
    expect(pick(await serverRows(id))).toEqual(logged(1, 200));
  });

  it('resume: "allow" continues the stored run after its last step', async () => {
    const id = "resumed-after";
    const first = startUploadChild("writer-child.mjs", [join(root, "r1"), server.url, id, "1", "300"]);
    expect((await first.exit).code).toBe(0);
    const second = startUploadChild("writer-child.mjs", [
      join(root, "r2"),
      server.url,
      id,
      "2",
      "200",
      "allow",
    ]);
    expect((await second.exit).code).toBe(0);
    expect(pick(await serverRows(id))).toEqual([...logged(1, 300), ...logged(2, 200, 300)]);
  });
});
