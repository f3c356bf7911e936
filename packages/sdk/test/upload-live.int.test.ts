/** A running run's new points are visible to queries within 2 s (issue: server, query API). */
import { describe, expect, it } from "vitest";
import { Api, init } from "../src/index.js";
import { useServerPerTest } from "./support/server-process.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const startServer = useServerPerTest(tempDir);

describe("live visibility", () => {
  it("shows each newly logged step to the query API within 2 s while the run is running", async () => {
    const server = await startServer();
    const run = await init({
      dir: tempDir(),
      baseUrl: server.url,
      project: "live",
      settings: { silent: true },
    });
    const api = new Api({ baseUrl: server.url });
    for (let step = 0; step < 3; step++) {
      run.log({ loss: 1 / (step + 1) });
      const loggedAt = Date.now();
      let seen = -1;
      while (Date.now() - loggedAt < 2000) {
        const remote = await api.run(run.path).catch(() => null);
        seen = remote?.lastStep ?? -1;
        if (seen >= step) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seen, `step ${step} visible within 2 s`).toBeGreaterThanOrEqual(step);
      const history = await (await api.run(run.path)).history({ keys: ["loss"] });
      expect(history.at(-1)).toMatchObject({ _step: step, loss: 1 / (step + 1) });
      expect((await api.run(run.path)).state).toBe("running");
    }
    await run.finish();
  }, 30_000);
});
