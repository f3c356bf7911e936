/**
 * The system sampler's body. It runs in its own worker thread (started with `eval` from
 * start-sampler.ts, as the run log's writer is), never on the training thread: every
 * `intervalMs` it reads the machine's and the process's counters and posts one sample of
 * W&B-named `system.*` keys. Missing sources (no /proc, no `nvidia-smi`) leave their keys out;
 * `nvidia-smi` output it cannot read is reported once and then left out too.
 *
 * Self-contained: this function is serialised with `toString()`, so it may not use imports
 * (everything comes from `require` and `workerData`).
 */
import type * as ChildProcess from "node:child_process";
import type * as FileSystem from "node:fs";
import type * as Os from "node:os";
import type * as Threads from "node:worker_threads";

export interface SamplerWorkerData {
  intervalMs: number;
  /** The run directory: its disk's usage is sampled. */
  dir: string;
  /** The `nvidia-smi` to run (a name looked up on PATH, or a path). */
  nvidiaSmi: string;
}

/** What the worker posts. */
export type SamplerMessage =
  { kind: "sample"; values: Record<string, number> } | { kind: "warning"; cause: string; message: string };

export function samplerWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- eval'd CommonJS worker body */
  const os = require("node:os") as typeof Os;
  const fs = require("node:fs") as typeof FileSystem;
  const childProcess = require("node:child_process") as typeof ChildProcess;
  const threads = require("node:worker_threads") as typeof Threads;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const data = threads.workerData as SamplerWorkerData;
  const port = threads.parentPort;
  if (port === null) return;
  const MB = 1024 * 1024;
  const post = (message: SamplerMessage): void => port.postMessage(message);

  const readText = (path: string): string | null => {
    try {
      return fs.readFileSync(path, "utf8");
    } catch {
      return null;
    }
  };
  const cpuTimes = (): Array<{ busy: number; total: number }> =>
    os.cpus().map(({ times }) => {
      const total = times.user + times.nice + times.sys + times.idle + times.irq;
      return { busy: total - times.idle, total };
    });
  const netBytes = (): { recv: number; sent: number } | null => {
    const text = readText("/proc/net/dev");
    if (text === null) return null;
    let recv = 0;
    let sent = 0;
    for (const line of text.split("\n").slice(2)) {
      const [name, rest] = line.split(":");
      if (rest === undefined || name === undefined || name.trim() === "lo") continue;
      const fields = rest.trim().split(/\s+/).map(Number);
      recv += fields[0] ?? 0;
      sent += fields[8] ?? 0;
    }
    return { recv, sent };
  };
  const diskBytes = (): { read: number; write: number } | null => {
    const text = readText("/proc/diskstats");
    if (text === null) return null;
    let read = 0;
    let write = 0;
    for (const line of text.split("\n")) {
      const fields = line.trim().split(/\s+/);
      const name = fields[2];
      if (name === undefined || /^(loop|ram|zram|dm-)/.test(name) || !fs.existsSync(`/sys/block/${name}`))
        continue;
      read += Number(fields[5]) * 512;
      write += Number(fields[9]) * 512;
    }
    return { read, write };
  };
  const processIo = (): { read: number; write: number } | null => {
    const text = readText("/proc/self/io");
    if (text === null) return null;
    const value = (name: string): number =>
      Number(new RegExp(`^${name}: (\\d+)`, "m").exec(text)?.[1] ?? NaN);
    return { read: value("read_bytes"), write: value("write_bytes") };
  };
  const memAvailable = (): number => {
    const match = /^MemAvailable:\s+(\d+) kB/m.exec(readText("/proc/meminfo") ?? "");
    return match ? Number(match[1]) * 1024 : os.freemem();
  };

  let gpuState: "unknown" | "present" | "absent" = "unknown";
  let gpuWarned = false;
  const GPU_FIELDS = [
    "index",
    "utilization.gpu",
    "utilization.memory",
    "memory.used",
    "memory.total",
    "temperature.gpu",
    "power.draw",
    "power.limit",
  ];
  const gpuSample = (): Promise<Record<string, number>> =>
    new Promise((resolve) => {
      if (gpuState === "absent") return resolve({});
      childProcess.execFile(
        data.nvidiaSmi,
        [`--query-gpu=${GPU_FIELDS.join(",")}`, "--format=csv,noheader,nounits"],
        { timeout: 5000, windowsHide: true },
        (error, stdout) => {
          if (error !== null) {
            // Not installed (or no driver): GPU metrics are simply absent from now on.
            if (gpuState === "unknown") gpuState = "absent";
            return resolve({});
          }
          const out: Record<string, number> = {};
          let bad = 0;
          for (const line of String(stdout).split("\n")) {
            if (line.trim() === "") continue;
            const cells = line.split(",").map((cell) => Number(cell.trim()));
            const [index, util, memUtil, used, total, temp, power, limit] = cells;
            if (
              cells.length !== GPU_FIELDS.length ||
              index === undefined ||
              !Number.isInteger(index) ||
              index < 0
            ) {
              bad++;
              continue;
            }
            const key = `system.gpu.${index}`;
            const put = (name: string, value: number | undefined): void => {
              if (value !== undefined && Number.isFinite(value)) out[`${key}.${name}`] = value;
            };
            put("gpu", util);
            put("memory", memUtil);
            if (used !== undefined && total !== undefined && total > 0)
              put("memoryAllocated", (used / total) * 100);
            if (used !== undefined) put("memoryAllocatedBytes", used * MB);
            put("temp", temp);
            put("powerWatts", power);
            if (power !== undefined && limit !== undefined && limit > 0)
              put("powerPercent", (power / limit) * 100);
          }
          if (bad > 0 && !gpuWarned) {
            gpuWarned = true;
            post({
              kind: "warning",
              cause: "nvidia-smi",
              message: `nvidia-smi printed ${bad} line(s) that are not GPU readings; those GPUs' metrics are left out`,
            });
          }
          if (Object.keys(out).length > 0) gpuState = "present";
          resolve(out);
        },
      );
    });

  let cpus = cpuTimes();
  let proc = process.cpuUsage();
  let procAt = process.hrtime.bigint();
  const net0 = netBytes();
  const disk0 = diskBytes();
  const io0 = processIo();

  const sample = async (): Promise<void> => {
    const values: Record<string, number> = {};
    const nowCpus = cpuTimes();
    let busy = 0;
    let total = 0;
    nowCpus.forEach((now, i) => {
      const before = cpus[i];
      if (before === undefined) return;
      const dTotal = now.total - before.total;
      const dBusy = now.busy - before.busy;
      busy += dBusy;
      total += dTotal;
      if (dTotal > 0) values[`system.cpu.${i}.cpu_percent`] = (dBusy / dTotal) * 100;
    });
    if (total > 0) values["system.cpu"] = (busy / total) * 100;
    cpus = nowCpus;
    const procNow = process.cpuUsage();
    const at = process.hrtime.bigint();
    const wallUs = Number(at - procAt) / 1000;
    if (wallUs > 0)
      values["system.proc.cpu.percent"] =
        ((procNow.user - proc.user + procNow.system - proc.system) / wallUs / Math.max(1, nowCpus.length)) *
        100;
    proc = procNow;
    procAt = at;
    const threadsLine = /^Threads:\s+(\d+)/m.exec(readText("/proc/self/status") ?? "");
    if (threadsLine) values["system.proc.cpu.threads"] = Number(threadsLine[1]);

    const totalMem = os.totalmem();
    const available = memAvailable();
    const rss = process.memoryUsage.rss();
    values["system.memory"] = ((totalMem - available) / totalMem) * 100;
    values["system.memory.usedMB"] = (totalMem - available) / MB;
    values["system.proc.memory.availableMB"] = available / MB;
    values["system.proc.memory.rssMB"] = rss / MB;
    values["system.proc.memory.percent"] = (rss / totalMem) * 100;

    try {
      const stats = fs.statfsSync(data.dir);
      const size = stats.blocks * stats.bsize;
      const free = stats.bavail * stats.bsize;
      const used = size - stats.bfree * stats.bsize;
      if (size > 0) {
        values["system.disk"] = (used / (used + free)) * 100;
        values["system.disk.usedGB"] = used / 1024 / MB;
      }
    } catch {
      // The run directory's disk cannot be asked: disk usage is left out.
    }
    const disk = diskBytes();
    if (disk !== null && disk0 !== null) {
      values["system.disk.in"] = (disk.read - disk0.read) / MB;
      values["system.disk.out"] = (disk.write - disk0.write) / MB;
    }
    const io = processIo();
    if (io !== null && io0 !== null && Number.isFinite(io.read) && Number.isFinite(io0.read)) {
      values["system.proc.disk.readMB"] = (io.read - io0.read) / MB;
      values["system.proc.disk.writeMB"] = (io.write - io0.write) / MB;
    }
    const net = netBytes();
    if (net !== null && net0 !== null) {
      values["system.network.recv"] = net.recv - net0.recv;
      values["system.network.sent"] = net.sent - net0.sent;
    }
    Object.assign(values, await gpuSample());
    post({ kind: "sample", values });
  };

  let busySampling = false;
  setInterval(() => {
    if (busySampling) return;
    busySampling = true;
    sample()
      .catch((error: unknown) => post({ kind: "warning", cause: "system-sample", message: String(error) }))
      .finally(() => {
        busySampling = false;
      });
  }, data.intervalMs);
}
