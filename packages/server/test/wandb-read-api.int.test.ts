/**
 * W&B's public read API (`wandb.Api()`) against a real Stepwise server: a real client logs three
 * runs (fixtures/wandb/log_runs.py), then a real analysis script (fixtures/wandb/read_api.py)
 * reads them back with run.history(samples=…), history(keys=…), scan_history() (paged),
 * scan_history(keys=…), run.files() / file.download(), and Api().runs() with W&B's Mongo-style
 * filters and orders; each answer is compared with what the first script logged.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { useWandb, wandbVersions } from "./support/wandb-fixture.js";

/** What log_runs.py logged in run k at step i (NaN and ±Infinity as read_api.py prints them). */
function logged(k: number, i: number): Record<string, unknown> {
  const loss = i === 3 ? "NaN" : i === 4 ? "Infinity" : k + 1 / (i + 1);
  return { _step: i, loss, ...(i % 3 === 0 ? { acc: i / 30 } : {}) };
}

describe.each(wandbVersions())("wandb %s read API", (version) => {
  const w = useWandb(version, "read");

  test("history, scan_history, files, downloads and filtered run lists read back what was logged", async () => {
    const idsFile = join(w.dir, "ids.json");
    await w.script("log_runs.py", [idsFile]);
    const ids = JSON.parse(await readFile(idsFile, "utf8")) as [string, string, string];
    const out = (await w.script("read_api.py", ["local/wandb-read", ids[0], join(w.dir, "download")]))
      .trim()
      .split("\n")
      .pop();
    const read = JSON.parse(out ?? "") as Record<string, unknown>;
    const rows = Array.from({ length: 30 }, (_, i) => logged(0, i));
    const withAcc = rows.filter((row) => "acc" in row);

    expect(read["history"]).toEqual(rows);
    expect(read["scan"]).toEqual(rows);
    const sampled = read["history_sampled"] as number[];
    expect(sampled).toHaveLength(5);
    expect([sampled[0], sampled[4]]).toEqual([0, 29]);
    expect([...sampled].sort((a, b) => a - b)).toEqual(sampled);
    expect(read["history_keys"]).toEqual(withAcc.map((row) => ({ _step: row["_step"], acc: row["acc"] })));
    expect(read["scan_keys"]).toEqual(withAcc.map((row) => row["acc"]));

    expect(read["files"]).toEqual(
      expect.arrayContaining(["config.yaml", "notes.txt", "wandb-metadata.json"]),
    );
    expect(read["downloaded"]).toBe("notes of run 0");

    const sorted = (value: unknown): string[] => [...(value as string[])].sort();
    expect(sorted(read["all"])).toEqual([...ids].sort());
    expect(read["lr_gte"]).toEqual([ids[2], ids[1]]);
    expect(read["lr_value"]).toEqual([ids[0]]);
    expect(sorted(read["opt"])).toEqual([ids[1], ids[2]].sort());
    expect(sorted(read["tag_even"])).toEqual([ids[0], ids[2]].sort());
    expect(read["summary_lt"]).toEqual([ids[0]]);
    expect(sorted(read["finished_and"])).toEqual([ids[1], ids[2]].sort());
    expect(sorted(read["state_or"])).toEqual([...ids].sort());
    expect(read["count"]).toBe(1);
  }, 600_000);
});
