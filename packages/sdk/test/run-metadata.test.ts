/** metadata.json's hardware and git fields, from real child processes (git, a stand-in nvidia-smi on PATH). */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gatherRunFiles } from "../src/run/run-metadata.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const savedPath = process.env["PATH"];
afterEach(() => {
  process.env["PATH"] = savedPath;
});

describe("run metadata", () => {
  it("lists the GPUs nvidia-smi names, and none without nvidia-smi", async () => {
    const bin = tempDir();
    const fake = join(bin, "nvidia-smi");
    writeFileSync(fake, "#!/bin/sh\nprintf 'NVIDIA H100 80GB HBM3\\nNVIDIA H100 80GB HBM3\\n'\n");
    chmodSync(fake, 0o755);
    process.env["PATH"] = `${bin}:${savedPath ?? ""}`;
    const started = new Date();
    const withGpu = await gatherRunFiles(started, tempDir());
    expect(withGpu.metadata.gpu).toEqual(["NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3"]);
    expect(withGpu.metadata.gpuCount).toBe(2);
    expect(withGpu.metadata.startedAt).toBe(started.toISOString());

    process.env["PATH"] = tempDir(); // neither nvidia-smi nor git
    const bare = await gatherRunFiles(started, tempDir());
    expect(bare.metadata).toMatchObject({ gpu: [], gpuCount: 0, git: null });
    expect(bare.diff).toBeNull();
    expect(bare.metadata.cpuCount).toBeGreaterThan(0);
  });
});
