/**
 * The data directory is the user's alone: a real server creates it 0700 with the database files
 * and the admin key 0600, and tightens looser modes it finds at start, saying so in its log.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { apiPaths } from "@stepwise/protocol";
import { historyBatch, startTestServer } from "./http-harness.js";

const modeOf = (path: string): number => statSync(path).mode & 0o777;
const parents: string[] = [];
afterEach(() => {
  for (const dir of parents.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshParent(): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-perm-"));
  parents.push(dir);
  return dir;
}

describe.skipIf(process.platform === "win32")("data directory permissions", () => {
  test("a new data directory is 0700; the database, its WAL files and the admin key are 0600", async () => {
    const dataDir = join(freshParent(), "nested", "data");
    await using t = await startTestServer({}, dataDir);
    expect((await t.ingest({ entity: "local", project: "p", runId: "r" }, historyBatch(0, 5))).status).toBe(
      200,
    );
    expect(modeOf(dataDir)).toBe(0o700);
    for (const name of ["stepwise.db", "stepwise.db-wal", "stepwise.db-shm", "admin-key"]) {
      const path = join(dataDir, name);
      expect(existsSync(path), name).toBe(true);
      expect(modeOf(path), name).toBe(0o600);
    }
    expect(t.logs.filter((line) => line.startsWith("Tightened"))).toEqual([]);
  });

  test("looser modes found at start are tightened, each with a log line, and the data is kept", async () => {
    const dataDir = join(freshParent(), "data");
    {
      await using first = await startTestServer({}, dataDir);
      const ingest = await first.ingest({ entity: "local", project: "p", runId: "r" }, historyBatch(0, 5));
      expect(ingest.status).toBe(200);
    }
    chmodSync(dataDir, 0o755);
    for (const name of ["stepwise.db", "admin-key"]) chmodSync(join(dataDir, name), 0o644);
    writeFileSync(join(dataDir, "stepwise.db-journal"), "");
    chmodSync(join(dataDir, "stepwise.db-journal"), 0o666);
    mkdirSync(join(dataDir, "files"), { recursive: true });
    await using second = await startTestServer({}, dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, "stepwise.db"))).toBe(0o600);
    expect(modeOf(join(dataDir, "admin-key"))).toBe(0o600);
    expect(modeOf(join(dataDir, "stepwise.db-journal"))).toBe(0o600);
    expect(second.logs).toEqual(
      expect.arrayContaining([
        `Tightened the permissions of ${dataDir} from 0755 to 0700: it holds run data or keys, so only this user may read it`,
        `Tightened the permissions of ${join(dataDir, "stepwise.db")} from 0644 to 0600: it holds run data or keys, so only this user may read it`,
        `Tightened the permissions of ${join(dataDir, "admin-key")} from 0644 to 0600: it holds run data or keys, so only this user may read it`,
        `Tightened the permissions of ${join(dataDir, "stepwise.db-journal")} from 0666 to 0600: it holds run data or keys, so only this user may read it`,
      ]),
    );
    const run = (await (
      await second.fetch(apiPaths.run({ entity: "local", project: "p", runId: "r" }))
    ).json()) as {
      offsets: { history: number };
    };
    expect(run.offsets.history).toBe(5);
  });
});
