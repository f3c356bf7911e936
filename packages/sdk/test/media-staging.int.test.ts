/**
 * Media files logged by path are copied into a staging folder of the process; a process killed
 * before its exit hook leaves that folder behind. The next process that stages a copy removes
 * the folders of processes that are gone, keeps those of live ones, and its own goes at exit —
 * while the media it logged is in the run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { encodePng } from "../src/media/encode/encode-png.js";
import { storedRows } from "./support/offline-run.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const staging = (pid: number) => join(tmpdir(), `stepwise-media-${pid}`);
const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const child = `
import { Image, init } from "@stepwise/sdk";
const [dir, png] = process.argv.slice(1);
const run = await init({ mode: "offline", dir, project: "staging", settings: { silent: true } });
run.log({ pic: new Image(png) });
await run.finish();
console.log(process.pid);
`;

describe("media staging folders", () => {
  it("are removed once their process is gone, kept while it lives, and removed at exit", () => {
    const dir = tempDir();
    const png = join(dir, "pic.png");
    writeFileSync(
      png,
      encodePng({
        pixels: new Uint8Array(4 * 2 * 3).fill(7),
        width: 4,
        height: 2,
        channels: 3,
        scale: "none",
      }),
    );
    // A process that has exited: its pid is free (reuse within this test is not a concern).
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    for (const pid of [gone, process.pid]) {
      mkdirSync(staging(pid), { recursive: true });
      writeFileSync(join(staging(pid), "1-left.png"), "x");
      made.push(staging(pid));
    }
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", child, dir, png], {
      // Resolves @stepwise/sdk (the built package) from here.
      cwd: fileURLToPath(new URL(".", import.meta.url)),
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    const childPid = Number(result.stdout.trim());
    expect(existsSync(staging(gone)), "a dead process's folder").toBe(false);
    expect(existsSync(join(staging(process.pid), "1-left.png")), "a live process's folder").toBe(true);
    expect(existsSync(staging(childPid)), "the child's own folder, at its exit").toBe(false);
    const [row] = storedRows(join(dir, "stepwise", "latest-run"));
    expect(row?.["pic"]).toMatchObject({ _type: "image-file", width: 4, height: 2 });
  });
});
