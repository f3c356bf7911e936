/**
 * A record the server refuses is reported as a warning on the run's page (issue 8, item 2): the
 * e2e server here takes request bodies of at most 64 KiB, as an older or stricter server would,
 * and a run logged with the real SDK holds one row larger than that. The uploader sets that row
 * aside; the run page says so (how many, the server's reason, where the records are kept), and
 * the server holds every other row, value for value as logged.
 */
import { apiPaths, parseExtended } from "@stepwise/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";
import { logRuns, type LoggedRun } from "./support/log-runs.js";

// Read by the server this spec starts (e2e-server.ts passes the environment on).
process.env["STEPWISE_MAX_BODY_BYTES"] = String(64 * 1024);
process.env["STEPWISE_MAX_DECOMPRESSED_BYTES"] = String(64 * 1024);

const fx = useE2eFixture({ vision: false });
const PROJECT = "quarantine";
const ROWS = 40;
const REFUSED = 17;

/** What the test logs at step `i`; the refused row also carries a string over the body limit. */
function logged(i: number): Record<string, unknown> {
  const row: Record<string, unknown> = { loss: 1 / (i + 1), acc: i / ROWS };
  if (i === REFUSED) row["blob"] = "x".repeat(100_000);
  return row;
}

let run: LoggedRun;
beforeAll(async () => {
  [run] = (await logRuns(fx.server(), [
    {
      project: PROJECT,
      name: "refused-row",
      logSteps(r) {
        for (let i = 0; i < ROWS; i++) r.log(logged(i));
      },
    },
  ])) as [LoggedRun];
});

describe("a run with a record the server refused", () => {
  it("has every other row on the server, and its page warns about the refused one", async () => {
    const ref = { entity: run.entity, project: PROJECT, runId: run.id };
    const url = `${fx.server().url}${apiPaths.history(ref)}?format=ndjson`;
    const rows = (await (await fetch(url)).text())
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => parseExtended(line) as Record<string, unknown>);
    const expected = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i !== REFUSED);
    expect(rows.map((row) => row["_step"])).toEqual(expected);
    for (const row of rows) {
      const step = row["_step"] as number;
      expect({ loss: row["loss"], acc: row["acc"], blob: row["blob"] }).toEqual({
        ...logged(step),
        blob: undefined,
      });
    }

    const page = await fx.open(`/local/${PROJECT}/runs/${run.id}`);
    await page.locator('[data-testid="run-overview"]').waitFor();
    const warning = page.locator('[data-testid="quarantine-warning"]');
    await warning.waitFor({ timeout: 20_000 });
    const text = await warning.innerText();
    // The row, and any other record that carries its value (the summary snapshot may), as the
    // uploader counted them.
    expect(text).toMatch(/^(1 record was|\d+ records were) refused by this server and not uploaded/);
    expect(text).toContain("HTTP 413");
    expect(text).toContain("quarantine.jsonl");
    await expect(
      page.locator('[data-testid="summary-table"] [data-testid="kv-row"][data-key="loss"]').innerText(),
    ).resolves.toContain(String(1 / ROWS));
  });
});
