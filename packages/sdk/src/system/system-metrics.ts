/**
 * System metrics of a run (settings.systemMetrics, default on): a sampler worker
 * (sampler-worker.ts) reads the machine every `intervalMs` (default 15 s) off the training
 * thread; each sample it posts gets, on this thread, the two readings only this thread can give
 * (its V8 heap, and its event-loop lag as measured by `monitorEventLoopDelay`, which costs the
 * loop nothing between samples), its wall time and runtime, and goes into the run log as a
 * `system` record: the `events` stream, not history (it never changes `_step`).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { SystemRecord } from "@stepwise/protocol";
import { samplerWorkerMain, type SamplerMessage, type SamplerWorkerData } from "./sampler-worker.js";
import { workerExecArgv } from "../runlog/worker-exec-argv.js";

const WORKER_SOURCE = `(${samplerWorkerMain.toString()})()`;

export interface SystemMetricsOptions {
  intervalMs: number;
  dir: string;
  /** Unix ms the run's runtime counts from. */
  startedAt: number;
  /** Seconds of runtime a resumed run continues from. */
  runtimeOffset: number;
  append: (record: SystemRecord) => void;
  warn: (cause: string, message: string) => void;
}

export class SystemMetrics {
  private worker: Worker | null = null;
  private lag: IntervalHistogram | null = null;

  constructor(private readonly options: SystemMetricsOptions) {}

  start(): void {
    const workerData: SamplerWorkerData = {
      intervalMs: this.options.intervalMs,
      dir: this.options.dir,
      nvidiaSmi: process.env["STEPWISE_NVIDIA_SMI"] ?? "nvidia-smi",
    };
    this.lag = monitorEventLoopDelay({ resolution: 20 });
    this.lag.enable();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData,
      stdout: false,
      stderr: false,
      execArgv: workerExecArgv(),
    });
    worker.on("message", (message: SamplerMessage) => this.receive(message));
    worker.on("error", (error) =>
      this.options.warn("system-metrics", `system metrics stopped: ${String(error)}`),
    );
    worker.unref();
    this.worker = worker;
  }

  stop(): void {
    this.lag?.disable();
    this.lag = null;
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) void worker.terminate();
  }

  private receive(message: SamplerMessage): void {
    if (this.worker === null) return;
    if (message.kind === "warning") {
      this.options.warn(message.cause, message.message);
      return;
    }
    const sample: Record<string, number> = { ...message.values };
    sample["system.proc.memory.heapMB"] = process.memoryUsage().heapUsed / 1024 / 1024;
    if (this.lag !== null && this.lag.count > 0) {
      sample["system.proc.eventLoopLagMs"] = this.lag.mean / 1e6;
      sample["system.proc.eventLoopLagMaxMs"] = this.lag.max / 1e6;
      this.lag.reset();
    }
    const now = Date.now();
    sample["_timestamp"] = now / 1000;
    sample["_runtime"] = this.options.runtimeOffset + (now - this.options.startedAt) / 1000;
    for (const key of Object.keys(sample)) if (!Number.isFinite(sample[key])) delete sample[key];
    this.options.append({ t: "system", sample });
  }
}
