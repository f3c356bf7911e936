/**
 * Stored-table reads off the server's thread: a small pool of table read workers
 * (table-read-worker.ts), each table's reads always on the same worker so its kept orders serve
 * the next page. Running from TypeScript sources (tests), the reads run on this thread.
 */
import { cpus } from "node:os";
import { Worker } from "node:worker_threads";
import { isSplitRead, TableReads, type StoredTableRef, type TableReadRequest } from "./table-reads.js";

const WORKER = new URL("./table-read-worker.js", import.meta.url);
/** Two: one long scan leaves the other worker to every other table. */
const POOL_SIZE = 2;

/** An error from a worker with the code it had (SQLITE_CORRUPT…), so callers tell damage apart. */
class TableReadError extends Error {
  constructor(
    message: string,
    readonly code: unknown,
  ) {
    super(message);
  }
}

interface Pending {
  slot: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class TableReadPool {
  private readonly workers: Array<Worker | null> = [];
  private readonly pending = new Map<number, Pending>();
  private readonly local: TableReads | null;
  private nextId = 1;
  private closed = false;
  private readonly idle = new IdleCpu();

  constructor(
    inWorkers = import.meta.url.endsWith(".js"),
    private readonly split: "always" | "when-idle" = "when-idle",
  ) {
    this.local = inWorkers ? null : new TableReads();
    this.idle.spareCores(); // the first look, for the next one to compare with
  }

  /**
   * Runs one read on the worker that reads `table` (its path). A read that answers with parts
   * (a first scan of a large table, table-reads.ts) has them run at once, one on each worker,
   * then joined on its own worker.
   */
  async read(table: StoredTableRef | string, request: TableReadRequest): Promise<unknown> {
    const slot = slotOf(typeof table === "string" ? table : table.path);
    const answer = await this.post(slot, this.maySplit(slot, request));
    if (!isSplitRead(answer)) return answer;
    const parts = await Promise.all(answer.split.map((part, k) => this.post((slot + k) % POOL_SIZE, part)));
    return this.post(slot, { ...answer.join, parts } as TableReadRequest);
  }

  /** Closes every worker's reader of `path` (a table removed or stored again). */
  async forget(path: string): Promise<void> {
    if (this.closed) return;
    const request: TableReadRequest = { op: "forget", path };
    if (this.local !== null) await this.post(0, request);
    else await Promise.all(this.workers.flatMap((w, slot) => (w === null ? [] : [this.post(slot, request)])));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.local?.close();
    for (const { reject } of this.pending.values()) reject(new Error("the table library is closed"));
    this.pending.clear();
    await Promise.all(this.workers.flatMap((w) => (w === null ? [] : [w.terminate()])));
  }

  /**
   * A first scan is split in parts only when the other workers have no reads waiting and the
   * machine has a core to spare (idle CPU time since the last look, `spareCores`): on a busy
   * machine the parts would only take turns, and an order's parts cost ~1.3× the CPU of one
   * scan (their sort values are sent to be merged). `split: "always"` splits regardless (tests).
   */
  private maySplit(slot: number, request: TableReadRequest): TableReadRequest {
    if (request.op !== "page" && request.op !== "groups") return request;
    if (request.parts !== undefined) return request;
    const othersBusy = [...this.pending.values()].some((p) => p.slot !== slot);
    return { ...request, split: !othersBusy && (this.split === "always" || this.idle.spareCores() >= 0.75) };
  }

  private post(slot: number, request: TableReadRequest): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the table library is closed"));
    if (this.local !== null) {
      try {
        return Promise.resolve(this.local.run(request));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const worker = this.worker(slot);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  private worker(slot: number): Worker {
    const existing = this.workers[slot];
    if (existing !== undefined && existing !== null) return existing;
    const worker = new Worker(WORKER);
    worker.unref();
    worker.on("message", (m: { id: number; result?: unknown; error?: string; code?: unknown }) => {
      const pending = this.pending.get(m.id);
      if (pending === undefined) return;
      this.pending.delete(m.id);
      if (m.error === undefined) pending.resolve(m.result);
      else pending.reject(new TableReadError(m.error, m.code));
    });
    // A worker that dies fails the reads it held; the next read starts a new one.
    const fail = (error: Error): void => {
      if (this.workers[slot] === worker) this.workers[slot] = null;
      for (const [id, pending] of this.pending)
        if (pending.slot === slot) {
          this.pending.delete(id);
          pending.reject(error);
        }
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the table read worker stopped (exit ${code})`)));
    this.workers[slot] = worker;
    // All workers start together: the first scan split in parts waits for no worker to start.
    for (let other = 0; other < POOL_SIZE; other++)
      if ((this.workers[other] ?? null) === null) this.worker(other);
    return worker;
  }
}

/** The machine's idle cores (0…count) over the time since the last look (at least MIN_MS ago). */
class IdleCpu {
  private static readonly MIN_MS = 250;
  private last = { at: 0, idle: 0, total: 0 };
  private cores = 0;

  spareCores(): number {
    const now = Date.now();
    if (now - this.last.at < IdleCpu.MIN_MS) return this.cores;
    const all = cpus();
    let idle = 0;
    let total = 0;
    for (const { times } of all) {
      idle += times.idle;
      total += times.user + times.nice + times.sys + times.idle + times.irq;
    }
    if (this.last.at !== 0 && total > this.last.total)
      this.cores = ((idle - this.last.idle) / (total - this.last.total)) * all.length;
    this.last = { at: now, idle, total };
    return this.cores;
  }
}

function slotOf(path: string): number {
  let hash = 0;
  for (let i = 0; i < path.length; i++) hash = (hash * 31 + path.charCodeAt(i)) | 0;
  return Math.abs(hash) % POOL_SIZE;
}
