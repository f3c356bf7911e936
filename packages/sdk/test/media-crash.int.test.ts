/**
 * SIGKILL during a media backlog (a child logging 512×512 images faster than they are encoded,
 * with scalar-only rows between them and run.save() every 25 steps): every save() that returned
 * 200 ms before the kill has its `file` record in the log, and every row logged more than
 * ROW_WINDOW_MS before the kill is in the log, in order, with its loss — the media queue keeps a
 * row waiting for its media at most MAX_ROW_WAIT_MS (plus the encoding of the file ahead).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RunLogReader, resolveRunLog } from "../src/index.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const script = fileURLToPath(new URL("./fixtures/media-backlog.mjs", import.meta.url));
/**
 * docs/run-log.md: 200 ms, plus one image's encoding, plus the writer's 20 ms poll (about 250 ms
 * measured alone); 750 ms leaves room for a shared 2-core machine where the child itself is not
 * scheduled for a while (the plain-row crash test sees the same).
 */
const ROW_WINDOW_MS = 750;
const SAVE_WINDOW_MS = 200;

interface Progress {
  kind: string;
  name: string;
  at: number;
}

async function killDuringBacklog(
  root: string,
  runForMs: number,
): Promise<{ progress: Progress[]; killedAt: number }> {
  const child = spawn(process.execPath, [script, root], { stdio: ["ignore", "pipe", "inherit"] });
  const progress: Progress[] = [];
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      const [kind, name, at] = line.split(" ");
      if (kind !== undefined && name !== undefined && at !== undefined)
        progress.push({ kind, name, at: Number(at) });
    }
  });
  // Start the clock at the first row, so a slow start of the child does not shorten the backlog.
  while (!progress.some((entry) => entry.kind === "row"))
    await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, runForMs));
  const killedAt = Date.now();
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
  return { progress, killedAt };
}

describe("SIGKILL during a media backlog", () => {
  it("keeps every save() and scalar record and every row logged before the documented window", async () => {
    const root = tempDir();
    const { progress, killedAt } = await killDuringBacklog(root, 1500);
    const rowsLogged = progress.filter((entry) => entry.kind === "row");
    const rowsSafe = rowsLogged
      .filter((entry) => entry.at <= killedAt - ROW_WINDOW_MS)
      .map((entry) => Number(entry.name));
    const savesSafe = progress
      .filter((entry) => entry.kind === "save" && entry.at <= killedAt - SAVE_WINDOW_MS)
      .map((entry) => entry.name);
    expect(rowsSafe.length, "the child logged rows well before the kill").toBeGreaterThan(20);
    expect(savesSafe.length).toBeGreaterThan(0);

    const reader = new RunLogReader(resolveRunLog(`${root}/stepwise/latest-run`).logFile);
    const rows: Array<Record<string, unknown>> = [];
    const saved: string[] = [];
    const mediaFiles = new Set<string>();
    for (const { record } of reader.records()) {
      if (record.t === "history") rows.push(record.row);
      if (record.t === "file" && record.path.startsWith("note-")) saved.push(record.path);
      if (record.t === "file" && record.path.startsWith("media/")) mediaFiles.add(record.path);
    }
    expect(reader.issues.filter((issue) => issue.kind !== "torn-tail")).toEqual([]);
    // Every save() that returned 200 ms before the kill is recorded.
    expect(saved).toEqual(expect.arrayContaining(savesSafe));
    // Every row logged before the window is there, in order, with its loss (and its image).
    const kept = rows.slice(0, rowsSafe.length);
    expect(kept.map((row) => row["_step"])).toEqual(rowsSafe);
    for (const row of kept) {
      const step = row["_step"] as number;
      expect(row["loss"]).toBe(1 / (step + 1));
      if (step % 2 === 0) expect(mediaFiles.has((row["img"] as { path: string }).path)).toBe(true);
    }
    // The backlog was real: the child logged more rows than reached the log.
    expect(rowsLogged.length).toBeGreaterThan(rows.length);
  });
});
