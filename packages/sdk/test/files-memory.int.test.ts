/**
 * A 1 GiB file saved and uploaded by a trainer process whose RSS grows by less than 64 MiB: the
 * SDK hashes and sends it as a stream, never holding it in memory (measured in the child that
 * saves it, from just before save() to the end of finish()).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useServerForFile } from "./support/server-process.js";
import { listServerFiles, sha256OfFile } from "./support/server-files.js";
import { startUploadChild } from "./support/upload-child.js";

const { server, tempDir } = useServerForFile();
const GiB = 1024 * 1024 * 1024;

describe("a 1 GiB save", () => {
  it("uploads the file whole with the trainer's RSS growing by less than 64 MiB", async () => {
    const root = tempDir();
    const big = join(root, "model.bin");
    const block = randomBytes(4 * 1024 * 1024);
    const fd = openSync(big, "w");
    for (let at = 0, index = 0; at < GiB; at += block.length, index++) {
      block.writeUInt32LE(index, 0);
      writeSync(fd, block);
    }
    closeSync(fd);
    const sha = await sha256OfFile(big);
    const child = startUploadChild("files-child.mjs", [
      JSON.stringify({
        dir: tempDir(),
        baseUrl: server.url,
        saves: [{ glob: big, basePath: root, policy: "now" }],
        sampleRss: true,
      }),
    ]);
    const run = await child.run;
    const { code, lines, stderr } = await child.exit;
    expect(code, stderr).toBe(0);
    const report = lines.at(-1) as { saved: string[][]; rssGrowth: number; status: { filesPending: number } };
    expect(report.saved).toEqual([["model.bin"]]);
    expect(report.status.filesPending).toBe(0);
    expect((await listServerFiles(server.url, run)).get("model.bin")).toMatchObject({
      size: GiB,
      sha256: sha,
    });
    expect(report.rssGrowth, `RSS grew by ${(report.rssGrowth / 1024 / 1024).toFixed(1)} MiB`).toBeLessThan(
      64 * 1024 * 1024,
    );
  }, 300_000);
});
