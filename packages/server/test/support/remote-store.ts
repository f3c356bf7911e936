/**
 * A Store in another process (test/fixtures/store-process.mjs: the built SQLite store on the
 * given database file), so that two stores really work at once, as two API servers do: each
 * call is sent over IPC and answered there. Errors come back with their name, message and code.
 */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { Store } from "../../src/store/store.js";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "store-process.mjs");

interface Answer {
  id?: number;
  ok?: boolean;
  value?: unknown;
  error?: { name: string; message: string; code?: string };
  ready?: boolean;
}

export async function openRemoteSqliteStore(databasePath: string): Promise<Store> {
  const child = fork(FIXTURE, [databasePath], { serialization: "advanced", stdio: "inherit" });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`store process exited with ${code}`)));
    child.once("message", () => resolve());
  });
  child.on("message", (answer: Answer) => {
    if (answer.id === undefined) return;
    const waiter = pending.get(answer.id);
    pending.delete(answer.id);
    if (answer.ok) waiter?.resolve(answer.value);
    else waiter?.reject(Object.assign(new Error(answer.error?.message), answer.error));
  });
  const call = (method: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, method, args });
    });
  return new Proxy({} as Store, {
    get: (_target, name) => {
      if (typeof name !== "string" || name === "then") return undefined;
      if (name === "close") return () => stop(child);
      if (name === "scanHistory")
        return (...args: unknown[]) => pages(call("scanHistoryAll", args) as Promise<string[]>);
      // A part of the store (`store.wandb`): its methods are called as `wandb.method`.
      if (name === "wandb")
        return new Proxy(
          {},
          {
            get:
              (_part, method) =>
              (...args: unknown[]) =>
                call(`${name}.${String(method)}`, args),
          },
        );
      return (...args: unknown[]) => call(name, args);
    },
  });
}

async function* pages(rows: Promise<string[]>): AsyncIterable<string[]> {
  yield await rows;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.disconnect();
  });
}
