// bench/artifacts: artifacts of many small files, in one run on one disk (issue 12).
//  0. Baseline: a plain copy of the folder (fs.cpSync), the floor of any download into a root.
//  1. run.logArtifact(folder) from an online run until the version is committed (seal off the
//     training thread, upload of missing content, commit): files/s.
//  2. The same folder logged again (unchanged content): seconds (the server answers the
//     existing version; nothing is uploaded).
//  3. api.artifact(…).download() cold (empty cache): seconds.
//  4. The same version downloaded again into a new root with the server stopped (warm cache:
//     no request at all): seconds and the ratio to (0). Target: 10,000 cached files in ≤ 2 s.
// Usage: node bench/artifacts.mjs [--quick] [--files N]   (quick: 1,000 files; default 10,000
// files of 1–8 KiB). Build first (npx tsc -b). The load average is printed with the numbers.
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Api, init } from "@stepwise/sdk";
import { startServer } from "./support/server-process.mjs";

const quick = process.argv.includes("--quick");
const at = process.argv.indexOf("--files");
const count = at > 0 ? Number(process.argv[at + 1]) : quick ? 1_000 : 10_000;
const work = mkdtempSync(join(tmpdir(), "stepwise-bench-artifacts-"));
const load = () => loadavg().map((v) => Math.round(v * 100) / 100);
const seconds = (since) => Math.round((performance.now() - since) / 10) / 100;

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
  if (again.version !== first.version) throw new Error(`re-log made ${again.version}, not ${first.version}`);

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
  console.log(JSON.stringify(result));
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
