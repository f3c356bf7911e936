// bench/files: SDK → server file throughput, in one run on one disk.
//  1. The machine's loopback disk-to-disk copy rate: a file read from disk, sent over a local TCP
//     socket to another process that writes it to disk and fsyncs (the ceiling of any upload).
//  2. One large file saved with run.save(…, { policy: "now" }) from an online run in a child
//     process, until the server holds it: MiB/s and its ratio to (1); the SDK's RSS growth
//     (peak during the upload − before save) and the server's peak RSS growth.
//  3. 10,000 small files (1–8 KiB) saved with one glob: files/s.
//  4. The large file saved again by a new run (unchanged content): seconds and the bytes the SDK
//     process wrote (/proc/self/io wchar: sockets and disk), which must be ~0 beside the file.
// Targets (issue 9): (2) ≥ 50% of (1); SDK RSS growth < 64 MiB. Prints numbers and one JSON line.
// Usage: node bench/files.mjs [--quick] [--mib N] [--rounds N]   (quick: 256 MiB and 1,000 small
// files; full: 2 GiB, 10,000; --mib: the large file's size; --rounds: copy and upload (new content
// each time) N times in turn, reporting medians: steadier on a busy machine). The load average is
// printed with the numbers.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./support/server-process.mjs";

const quick = process.argv.includes("--quick");
const MIB = 1024 * 1024;
const option = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : undefined;
};
const largeBytes = (option("--mib") ?? (quick ? 256 : 2048)) * MIB;
const rounds = option("--rounds") ?? 1;
const smallCount = quick ? 1_000 : 10_000;
const loadAtStart = loadavg().map((value) => round(value, 2));
const work = mkdtempSync(join(tmpdir(), "stepwise-bench-files-"));
const child = fileURLToPath(new URL("./files-child.mjs", import.meta.url));

const large = join(work, "checkpoint.bin");
writeLargeFile(large, largeBytes);
const smallDir = join(work, "small");
mkdirSync(smallDir);
for (let i = 0; i < smallCount; i++) {
  const fd = openSync(join(smallDir, `f${String(i).padStart(5, "0")}.bin`), "w");
  writeSync(fd, randomBytes(1024 + (i % 8) * 1024));
  closeSync(fd);
}

const server = await startServer(join(work, "data"));
try {
  const serverRssBefore = procStatusKiB(server.pid, "VmRSS");
  // Each round: the copy, then an upload of new content (one changed byte: nothing to dedupe).
  const measured = [];
  for (let round = 0; round < rounds; round++) {
    if (round > 0) changeFirstBlock(large, round);
    const copy = await loopbackCopy(large, join(work, "copy.bin"));
    rmSync(join(work, "copy.bin"));
    const upload = await runChild(["save", server.url, join(work, "runs"), large]);
    measured.push({ copy: copy.mibPerSec, upload: largeBytes / MIB / upload.seconds, run: upload });
  }
  const largeRun = { rssGrowthMiB: Math.max(...measured.map((m) => m.run.rssGrowthMiB)) };
  const smallRun = await runChild([
    "save",
    server.url,
    join(work, "runs"),
    join(smallDir, "*.bin"),
    smallDir,
  ]);
  const again = await runChild(["save", server.url, join(work, "runs"), large]);
  const serverPeakGrowthMiB = (procStatusKiB(server.pid, "VmHWM") - serverRssBefore) / 1024;

  const result = {
    bench: "files",
    largeFileMiB: largeBytes / MIB,
    // With --rounds: medians (the ratio's is of each round's ratio), and every round.
    loopbackCopyMiBs: round(median(measured.map((m) => m.copy))),
    largeUploadMiBs: round(median(measured.map((m) => m.upload))),
    ratioToLoopbackCopy: round(median(measured.map((m) => m.upload / m.copy)), 3),
    rounds: measured.map((m) => ({
      copyMiBs: round(m.copy),
      uploadMiBs: round(m.upload),
      ratio: round(m.upload / m.copy, 3),
    })),
    sdkRssGrowthMiB: round(largeRun.rssGrowthMiB),
    serverPeakRssGrowthMiB: round(serverPeakGrowthMiB),
    smallFiles: smallCount,
    smallFilesPerSec: Math.round(smallCount / smallRun.seconds),
    smallFilesSeconds: round(smallRun.seconds),
    reuploadSeconds: round(again.seconds),
    reuploadBytesWritten: again.bytesWritten,
    loadAverageAtStart: loadAtStart,
    loadAverage: loadavg().map((value) => round(value, 2)),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
  };
  if (rounds > 1)
    for (const [i, m] of result.rounds.entries())
      console.log(
        `round ${i + 1}: copy ${m.copyMiBs} MiB/s, upload ${m.uploadMiBs} MiB/s = ${m.ratio} × copy`,
      );
  console.log(`loopback disk-to-disk copy     ${result.loopbackCopyMiBs} MiB/s`);
  console.log(
    `large file (${result.largeFileMiB} MiB) upload    ${result.largeUploadMiBs} MiB/s = ${result.ratioToLoopbackCopy} × copy (target ≥ 0.5)`,
  );
  console.log(`SDK RSS growth during upload   ${result.sdkRssGrowthMiB} MiB (target < 64)`);
  console.log(`server peak RSS growth         ${result.serverPeakRssGrowthMiB} MiB`);
  console.log(
    `${smallCount} small files          ${result.smallFilesPerSec} files/s (${result.smallFilesSeconds} s)`,
  );
  console.log(
    `unchanged re-upload            ${result.reuploadSeconds} s, ${result.reuploadBytesWritten} bytes written by the SDK process`,
  );
  console.log(
    `load average (1, 5, 15 min)    ${result.loadAverageAtStart.join(", ")} at the start, ${result.loadAverage.join(", ")} at the end`,
  );
  console.log(JSON.stringify(result));
} finally {
  server.process.kill("SIGTERM");
  await new Promise((resolve) => server.process.once("exit", resolve));
  rmSync(work, { recursive: true, force: true });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** New content for the next round: the first block's counter changes (the size stays). */
function changeFirstBlock(path, round) {
  const fd = openSync(path, "r+");
  const counter = Buffer.alloc(4);
  counter.writeUInt32LE(0x80000000 + round, 0);
  writeSync(fd, counter, 0, 4, 0);
  fsyncSync(fd);
  closeSync(fd);
}

function round(value, digits = 1) {
  return Number(value.toFixed(digits));
}

/** Distinct 64 MiB blocks would cost minutes of randomBytes; one repeated with a counter is enough (no block dedupe). */
function writeLargeFile(path, bytes) {
  const block = randomBytes(64 * MIB);
  const fd = openSync(path, "w");
  for (let written = 0, n = 0; written < bytes; written += block.length, n++) {
    block.writeUInt32LE(n, 0);
    writeSync(fd, block, 0, Math.min(block.length, bytes - written));
  }
  fsyncSync(fd);
  closeSync(fd);
}

/** Reads `from`, sends it over a loopback socket to a child process that writes and fsyncs `to`. */
async function loopbackCopy(from, to) {
  const receiver = spawn(process.execPath, [child, "receive", to], { stdio: ["ignore", "pipe", "inherit"] });
  const port = Number(await firstLine(receiver));
  const { createReadStream } = await import("node:fs");
  const { connect } = await import("node:net");
  const started = performance.now();
  const socket = connect(port, "127.0.0.1");
  createReadStream(from, { highWaterMark: MIB }).pipe(socket);
  const done = await firstLine(receiver);
  const seconds = (performance.now() - started) / 1000;
  if (Number(done) !== largeBytes) throw new Error(`receiver wrote ${done} bytes`);
  return { mibPerSec: largeBytes / MIB / seconds };
}

/** Runs files-child.mjs and returns its one JSON result line. */
async function runChild(args) {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await firstLine(proc);
  await new Promise((resolve) => proc.once("exit", resolve));
  return JSON.parse(line);
}

function firstLine(proc) {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk) => {
      out += chunk;
      const newline = out.indexOf("\n");
      if (newline === -1) return;
      proc.stdout.off("data", onData);
      proc.off("exit", onExit);
      resolve(out.slice(0, newline));
    };
    const onExit = (code) => reject(new Error(`child exited with ${code} before answering`));
    proc.stdout.on("data", onData);
    proc.once("exit", onExit);
  });
}

function procStatusKiB(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0);
}
