/**
 * Crash safety: a child logs continuously and is killed with SIGKILL; every row it logged more
 * than 200 ms before the kill must be recovered, and the torn tail is no error.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RunLogReader, readOfflineRun, resolveRunLog } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const script = fileURLToPath(new URL("./fixtures/log-forever.mjs", import.meta.url));

describe("SIGKILL while logging", () => {
  it("recovers every row logged more than 200 ms before the kill", async () => {
    const root = tempDir();
    const child = spawn(process.execPath, [script, root], { stdio: ["ignore", "pipe", "inherit"] });
    const progress: Array<{ i: number; at: number }> = [];
    let buffered = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const [i, at] = line.split(" ").map(Number);
        if (i !== undefined && at !== undefined) progress.push({ i, at });
      }
    });
    // Kill once the child has been logging for a while (not after a fixed delay: on a loaded
    // machine importing the SDK alone can take over a second, and a kill before the first row
    // would test nothing).
    const deadline = Date.now() + 60_000;
    while (progress.length < 20 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const killedAt = Date.now();
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    const safe = progress.filter((p) => p.at < killedAt - 200).at(-1);
    expect(safe, "the child reported progress").toBeDefined();
    const reader = new RunLogReader(resolveRunLog(`${root}/stepwise/latest-run`).logFile);
    const steps: number[] = [];
    for (const { record } of reader.records())
      if (record.t === "history") steps.push(record.row["_step"] as number);
    expect(steps.length).toBeGreaterThan((safe?.i ?? 0) + 1 - 1);
    expect(steps.slice(0, (safe?.i ?? 0) + 1)).toEqual(
      Array.from({ length: (safe?.i ?? 0) + 1 }, (_, k) => k),
    );
    expect(reader.issues.filter((issue) => issue.kind !== "torn-tail")).toEqual([]);
    expect(readOfflineRun(`${root}/stepwise/latest-run`).info.state).toBe("crashed");
  });
});
