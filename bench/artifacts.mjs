// bench/artifacts: artifacts of many small files, in one run on one disk (issue 12).
//  0. Baseline: a plain copy of the folder (fs.cpSync), the floor of any download into a root.
//  1. run.logArtifact(folder) from an online run until the version is committed (seal off the
//     training thread, upload of missing content, commit): files/s.
//  2. The same folder logged again (unchanged content): seconds (the server answers the
//     existing version; nothing is uploaded).
//  3. api.artifact(…).download() cold (empty cache): seconds.
//  4. The same version downloaded again into a new root with the server stopped (warm cache:
//     no request at all): seconds and the ratio to (0). Target: 10,000 cached files in ≤ 2 s.
//  Then one large file (default 2 GiB), in a child process so that its peak RSS is the SDK's own
//  (the server is another process): a copy of the file (baseline), logArtifact until committed
//  (MB/s, peak RSS), the re-log of unchanged content (bytes the server process read meanwhile,
//  from /proc: what was uploaded is at most that), download cold (MB/s).
// Usage: node bench/artifacts.mjs [--quick] [--files N] [--size MiB] [--only small|large]
// (quick: 1,000 files and 256 MiB; default 10,000 files of 1–8 KiB and 2,048 MiB). Build first
// (npx tsc -b). The load average is printed with the numbers.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Api, init } from "@stepwise/sdk";
import { startServer } from "./support/server-process.mjs";

const quick = process.argv.includes("--quick");
const argOf = (flag) => {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const count = Number(argOf("--files") ?? (quick ? 1_000 : 10_000));
const largeMiB = Number(argOf("--size") ?? (quick ? 256 : 2048));
const only = argOf("--only");
if (argOf("--large-child") !== undefined) {
  console.log(JSON.stringify(await largeFileCase(Number(argOf("--large-child")))));
  process.exit(0);
}
if (only !== "large") await smallFilesCase();
if (only !== "small") largeFileInChild();

/** The large-file case in a fresh process: its peak RSS is that case's alone. */
function largeFileInChild() {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [self, "--large-child", String(largeMiB)], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`the large-file case exited with ${child.status}`);
  const result = JSON.parse(child.stdout.trim().split("\n").at(-1));
  const mib = (bytes) => Math.round(bytes / 1024 / 1024);
  console.log(`one file of ${largeMiB} MiB: copy ${result.copyMBps} MB/s (baseline)`);
  console.log(
    `logArtifact committed in ${result.committedS} s: ${result.logMBps} MB/s (${result.logToCopy}× slower than the copy); SDK process peak RSS ${mib(result.peakRssAfterLogBytes)} MiB (${mib(result.rssBeforeLogBytes)} MiB before)`,
  );
  console.log(
    `re-log unchanged: ${result.relogS} s, same version: ${result.relogSameVersion}; the server read ${result.serverReadDuringRelogBytes} bytes meanwhile (vs ${result.serverReadDuringLogBytes} during the first log)`,
  );
  console.log(
    `download cold: ${result.downloadColdS} s, ${result.downloadColdMBps} MB/s; peak RSS at the end ${mib(result.peakRssAtEndBytes)} MiB`,
  );
  console.log(`load average at start ${result.loadAtStart.join(" ")}, at end ${result.loadAtEnd.join(" ")}`);
  console.log(JSON.stringify({ case: "large", ...result }));
}

async function smallFilesCase() {
  const work = mkdtempSync(join(tmpdir(), "stepwise-bench-artifacts-"));

  const folder = join(work, "data");
  for (let i = 0; i < count; i++) {
    const dir = join(folder, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${String(i).padStart(5, "0")}.bin`), randomBytes(1024 + (i % 8) * 1024));
  }
  const loadAtStart = load();
  const server = await startServer(join(work, "server"));
  const env = { STEPWISE_CACHE_DIR: join(work, "cache") };
  try {
    let t = performance.now();
    cpSync(folder, join(work, "copy"), { recursive: true });
    const copyS = seconds(t);

    const run = await init({
      dir: join(work, "run"),
      baseUrl: server.url,
      project: "bench",
      settings: { quiet: true },
    });
    t = performance.now();
    const first = await run.logArtifact(folder, { name: "small", type: "dataset" });
    const loggedS = seconds(t);
    await first.wait();
    const committedS = seconds(t);
    t = performance.now();
    const again = await run.logArtifact(folder, { name: "small", type: "dataset" });
    await again.wait();
    const relogS = seconds(t);
    await run.finish();
    if (again.version !== first.version)
      throw new Error(`re-log made ${again.version}, not ${first.version}`);

    const path = `${run.entity}/bench/small:${first.version}`;
    t = performance.now();
    await (await new Api({ baseUrl: server.url, env }).artifact(path)).download({ root: join(work, "cold") });
    const coldS = seconds(t);
    await server.stop();
    t = performance.now();
    await (await new Api({ baseUrl: server.url, env }).artifact(path)).download({ root: join(work, "warm") });
    const warmS = seconds(t);

    const result = {
      files: count,
      copyS,
      logArtifactReturnedS: loggedS,
      committedS,
      committedFilesPerS: Math.round(count / committedS),
      relogUnchangedS: relogS,
      downloadColdS: coldS,
      downloadWarmNoServerS: warmS,
      warmToCopy: Math.round((warmS / copyS) * 100) / 100,
      warmTargetMet: count < 10_000 ? null : warmS <= 2,
      loadAtStart,
      loadAtEnd: load(),
    };
    console.log(`copy of ${count} files: ${copyS} s (baseline)`);
    console.log(
      `logArtifact returned after ${loggedS} s; committed after ${committedS} s (${result.committedFilesPerS} files/s)`,
    );
    console.log(`re-log unchanged: ${relogS} s (same version ${again.version})`);
    console.log(
      `download cold: ${coldS} s; warm cache, server stopped: ${warmS} s (${result.warmToCopy}× the copy)`,
    );
    console.log(`load average at start ${loadAtStart.join(" ")}, at end ${result.loadAtEnd.join(" ")}`);
    console.log(JSON.stringify({ case: "small", ...result }));
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * One file of `mib` MiB: written from a 1 MiB random block, each MiB stamped with its index (fast
 * to make, nothing repeats within a MiB that compression or a chunker could exploit).
 */
async function largeFileCase(mib) {
  const work = mkdtempSync(join(tmpdir(), "stepwise-bench-artifacts-large-"));
  const bytes = mib * 1024 * 1024;
  const mbps = (s) => Math.round(bytes / 1e6 / s);
  const file = join(work, "model.bin");
  const block = randomBytes(1024 * 1024);
  const fd = openSync(file, "w");
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0);
    writeSync(fd, block);
  }
  closeSync(fd);
  const loadAtStart = load();
  const server = await startServer(join(work, "server"));
  // What the server process read (sockets and files): the bytes uploaded to it are at most that.
  const serverRead = () => Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${server.pid}/io`, "utf8"))?.[1]);
  const env = { STEPWISE_CACHE_DIR: join(work, "cache") };
  try {
    let t = performance.now();
    copyFileSync(file, join(work, "copy.bin"));
    const copyS = seconds(t);
    rmSync(join(work, "copy.bin"));
    const run = await init({
      dir: join(work, "run"),
      baseUrl: server.url,
      project: "bench",
      settings: { quiet: true },
    });
    const rssBeforeLogBytes = process.memoryUsage.rss();
    let read = serverRead();
    t = performance.now();
    const first = await (await run.logArtifact(file, { name: "large", type: "model" })).wait();
    const committedS = seconds(t);
    const peakRssAfterLogBytes = process.resourceUsage().maxRSS * 1024;
    const serverReadDuringLogBytes = serverRead() - read;
    read = serverRead();
    t = performance.now();
    const again = await (await run.logArtifact(file, { name: "large", type: "model" })).wait();
    const relogS = seconds(t);
    const serverReadDuringRelogBytes = serverRead() - read;
    await run.finish();
    t = performance.now();
    const path = `${run.entity}/bench/large:${first.version}`;
    await (await new Api({ baseUrl: server.url, env }).artifact(path)).download({ root: join(work, "cold") });
    const downloadColdS = seconds(t);
    return {
      mib,
      copyS,
      copyMBps: mbps(copyS),
      committedS,
      logMBps: mbps(committedS),
      logToCopy: Math.round((committedS / copyS) * 10) / 10,
      rssBeforeLogBytes,
      peakRssAfterLogBytes,
      serverReadDuringLogBytes,
      relogS,
      relogSameVersion: again.version === first.version,
      serverReadDuringRelogBytes,
      downloadColdS,
      downloadColdMBps: mbps(downloadColdS),
      peakRssAtEndBytes: process.resourceUsage().maxRSS * 1024,
      loadAtStart,
      loadAtEnd: load(),
    };
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function load() {
  return loadavg().map((v) => Math.round(v * 100) / 100);
}

function seconds(since) {
  return Math.round((performance.now() - since) / 10) / 100;
}
