/**
 * Turns a table file's bytes into a stored table at `path` (table-builder.ts): in a worker
 * thread when running from the built JavaScript (table-convert-worker.js), in this thread
 * otherwise (tests that run the TypeScript sources). Resolves with the built table, or rejects
 * with a TableFileError when the file is not a table (ragged rows, bad JSON, …).
 */
import type { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import { TableFileError, TableJsonReader } from "../../domain/tables/table-json-reader.js";
import { TableBuilder, type BuiltTable } from "./table-builder.js";

const WORKER = new URL("./table-convert-worker.js", import.meta.url);

/** `signal` stops the work (the server is closing): the promise rejects, the file is left for the caller to remove. */
export async function convertTableFile(
  bytes: Readable,
  path: string,
  signal: AbortSignal,
): Promise<BuiltTable> {
  return import.meta.url.endsWith(".js") ? inWorker(bytes, path, signal) : inThisThread(bytes, path, signal);
}

const STOPPED = "storing the table stopped: the server is closing";

async function inThisThread(bytes: Readable, path: string, signal: AbortSignal): Promise<BuiltTable> {
  const builder = new TableBuilder(path);
  try {
    const reader = new TableJsonReader(builder);
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for await (const chunk of bytes) {
      if (signal.aborted) throw new Error(STOPPED);
      reader.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    }
    reader.feed(decoder.decode());
    reader.end();
    return builder.finish();
  } catch (error) {
    builder.abandon();
    throw asTableError(error);
  }
}

async function inWorker(bytes: Readable, path: string, signal: AbortSignal): Promise<BuiltTable> {
  const worker = new Worker(WORKER, { workerData: { path } });
  const stop = (): void => void worker.terminate();
  signal.addEventListener("abort", stop, { once: true });
  let acked: (() => void) | null = null;
  let failed: Error | null = null;
  const result = new Promise<BuiltTable>((resolve, reject) => {
    type Message = { ack?: true; done?: BuiltTable; error?: string; code?: unknown; invalid?: boolean };
    worker.on("message", (m: Message) => {
      if (m.ack === true) {
        acked?.();
      } else if (m.done !== undefined) {
        resolve(m.done);
      } else {
        failed =
          m.invalid === true
            ? new TableFileError(m.error ?? "")
            : Object.assign(new Error(m.error), { code: m.code });
        reject(failed);
        acked?.();
      }
    });
    worker.on("error", (error) => {
      failed = error;
      reject(error);
      acked?.();
    });
    // Ended without an answer: terminated because the server is closing.
    worker.on("exit", () => {
      failed ??= new Error(STOPPED);
      reject(failed);
      acked?.();
    });
  });
  result.catch(() => undefined);
  try {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for await (const chunk of bytes) {
      if (failed !== null) break;
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      await new Promise<void>((resolve) => {
        acked = resolve;
        worker.postMessage({ text });
      });
    }
    if (failed === null) worker.postMessage({ text: decoder.decode() });
    if (failed === null) worker.postMessage({ end: true });
    return await result;
  } catch (error) {
    throw asTableError(error);
  } finally {
    signal.removeEventListener("abort", stop);
    await worker.terminate();
  }
}

function asTableError(error: unknown): unknown {
  return error instanceof TypeError && /encoded data/i.test(error.message)
    ? new TableFileError("the table file is not UTF-8 text")
    : error;
}
