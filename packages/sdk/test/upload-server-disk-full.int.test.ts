/**
 * The server's disk fills while a run streams: the server answers 503 STORAGE_FULL, the uploader
 * keeps the rows on local disk and retries (it does not give up on them or set them aside as
 * refused), and once space is freed `finish()` delivers them. The server's history is then,
 * row by row, what this test logged. Needs a real small tmpfs (root and a sandbox that allows
 * mounts); skipped, with the reason, where none can be mounted.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { init } from "../src/index.js";
import { fetchHistory, fetchRun, startServerProcess, waitFor } from "./support/server-process.js";
import { canMountTmpfs, mountTmpfs } from "./support/small-filesystem.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const mountable = canMountTmpfs();
if (!mountable) console.warn("skipping the server full-disk upload test: this sandbox cannot mount a tmpfs");

describe.skipIf(!mountable)("a full disk under the server", () => {
  it("retries 503 STORAGE_FULL without dropping or quarantining rows, and delivers them once space is freed", async () => {
    const disk = mountTmpfs(tempDir(), 16 * 1024 * 1024);
    const server = await startServerProcess(join(disk.path, "data"));
    try {
      const run = await init({
        dir: tempDir(),
        baseUrl: server.url,
        project: "full",
        settings: { silent: true },
      });
      const path = { entity: run.entity, project: run.project, id: run.id };
      const logged: Array<{ _step: number; loss: number; acc: number }> = [];
      const log = (step: number): void => {
        const row = { loss: 1 / (step + 1), acc: step / 20_050 };
        run.log(row);
        logged.push({ _step: step, ...row });
      };
      for (let step = 0; step < 50; step++) log(step);
      await waitFor(
        async () => (await fetchRun(server.url, path))?.["lastStep"] === 49,
        10_000,
        "the first rows",
      );

      disk.fill();
      for (let step = 50; step < 20_050; step++) log(step);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      // Refused, not half stored: the server still has the first 50 rows; the SDK keeps the
      // rest pending and retries them, none set aside as refused for good.
      expect((await fetchRun(server.url, path))?.["lastStep"]).toBe(49);
      const status = await run.status();
      expect(status.pendingBytes).toBeGreaterThan(0);
      expect(status.quarantinedRecords).toBe(0);

      disk.free();
      await run.finish();
      const remote = await fetchHistory(server.url, path);
      expect(remote.map((row) => ({ _step: row["_step"], loss: row["loss"], acc: row["acc"] }))).toEqual(
        logged,
      );
      expect(await fetchRun(server.url, path)).toMatchObject({ state: "finished" });
    } finally {
      await server.kill("SIGTERM");
      disk.unmount();
    }
  }, 60_000);
});
