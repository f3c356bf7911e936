/**
 * The real `wandb` Python client, unmodified, against a real Stepwise server process: the script
 * (fixtures/wandb/log_run.py) is pointed at the server with WANDB_BASE_URL and WANDB_API_KEY only
 * (the key is the admin key the server issued, so its shape is one the client accepts), and
 * everything it logged is read back through Stepwise's own HTTP API: history row for row (nested
 * keys, NaN and ±Infinity, commit=False, explicit steps), config, summary, console, files, state.
 * One run per pinned client version (support/wandb-venv.ts).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseExtended } from "@stepwise/protocol";
import { useWandb } from "./support/wandb-fixture.js";
import { WANDB_VERSIONS } from "./support/wandb-venv.js";

describe.each(WANDB_VERSIONS)("wandb %s", (version) => {
  const w = useWandb(version, "client");
  /** The logged run's `entity/project/id`, once the first test has logged it. */
  let runPath = "";

  test("init, log, config and summary, finish: Stepwise's API reads back what the script logged", async () => {
    const out = join(w.dir, "run.json");
    await w.script("log_run.py", [out]);
    const { entity, project, id } = JSON.parse(await readFile(out, "utf8")) as Record<string, string>;
    expect({ entity, project }).toEqual({ entity: "local", project: "wandb-compat" });
    runPath = `${entity}/${project}/${id}`;
    const path = `/runs/${runPath}`;

    const run = parseExtended(await w.api(path)) as Record<string, unknown>;
    expect(run["state"]).toBe("finished");
    expect(run["exitCode"]).toBe(0);
    expect(run["name"]).toBe("real-client");
    expect(run["tags"]).toEqual(["a", "b"]);
    expect(run["notes"]).toBe("from wandb");
    const config = run["config"] as Record<string, unknown>;
    expect(config["lr"]).toBe(0.01);
    expect(config["opt"]).toEqual({ name: "adam", beta: 0.9 });
    expect(config["batch"]).toBe(32);
    const summary = run["summary"] as Record<string, unknown>;
    expect(summary["best"]).toBe(0.125);
    expect(summary["nested_summary"]).toEqual({ x: 1 });
    expect(summary["loss"]).toBe(0.125);
    expect(summary["other"]).toBe(2);

    const rows = await w.history(path);
    const user = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([k]) => k === "_step" || !k.startsWith("_"))),
    );
    expect(user).toEqual([
      { _step: 0, loss: 0.5, nested: { a: 1, b: 2.5 } },
      { _step: 1, loss: NaN, inf: Infinity, ninf: -Infinity },
      { _step: 2, part: 1, other: 2 },
      { _step: 5, loss: 0.25 },
      { _step: 7, loss: 0.125 },
    ]);
    for (const row of rows) expect(typeof row["_runtime"]).toBe("number");

    const consoleLines = JSON.parse(await w.api(`${path}/console`)) as { lines: Array<{ text: string }> };
    expect(consoleLines.lines.map((line) => line.text)).toContain("hello from wandb");

    const files = JSON.parse(await w.api(`${path}/files`)) as { files: Array<{ path: string }> };
    const names = files.files.map((file) => file.path);
    expect(names).toEqual(expect.arrayContaining(["wandb-metadata.json", "output.log", "config.yaml"]));
  }, 180_000);
  test("wandb.Api() reads the run's state, config and summary; run.summary.update() and run.update() are stored", async () => {
    expect(runPath, "the logging test above must have run").not.toBe("");
    const out = (await w.script("read_run.py", [runPath])).trim().split("\n").pop() ?? "";
    const read = JSON.parse(out) as Record<string, unknown>;
    expect(read["state"]).toBe("finished");
    expect(read["name"]).toBe("real-client");
    expect(read["tags"]).toEqual(["a", "b"]);
    expect(read["config"]).toEqual({ lr: 0.01, opt: { name: "adam", beta: 0.9 }, batch: 32 });
    expect(read["summary"]).toMatchObject({ best: 0.125, loss: 0.125, inf: null, nested_summary: { x: 1 } });
    const run = parseExtended(await w.api(`/runs/${runPath}`)) as Record<string, unknown> & {
      summary: Record<string, unknown>;
    };
    expect(run.summary["from_api"]).toBe(1);
    expect(run.summary["best"]).toBe(0.125);
    // run.update(): name, tags, notes and a config key, the rest of the config kept.
    expect(run["name"]).toBe("renamed");
    expect(run["tags"]).toEqual(["a", "b", "from-api"]);
    expect(run["notes"]).toBe("edited");
    // (`_wandb` is the client's own entry, kept as it sent it: wandb-config.ts.)
    const { _wandb: _, ...config } = run["config"] as Record<string, unknown>;
    expect(config).toEqual({ lr: 0.01, opt: { name: "adam", beta: 0.9 }, batch: 32, from_api: true });
  }, 180_000);
});
