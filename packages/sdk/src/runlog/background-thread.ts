/**
 * Background threads of the SDK (media encoding, uploads, artifact hashing) give way to the
 * training thread: on Linux each lowers its own scheduling priority (nice +10 by default) when it
 * starts. On a machine whose cores are all busy, the training thread then keeps its core when
 * one of them wakes up, instead of waiting a scheduler slice behind it inside `log()`; when a
 * core is free, the background thread runs at full speed as before. The run log's writer thread
 * keeps the normal priority: it is what makes a logged row durable.
 *
 * `STEPWISE_THREAD_NICE` sets the value (0 turns it off; 1–19). Lowering one's own priority
 * needs no privilege; any failure (another OS, a sandbox refusing it) leaves the thread as is.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

const DEFAULT_NICE = 10;

/** The nice value background threads take: STEPWISE_THREAD_NICE, else 10. */
export function backgroundNice(env: NodeJS.ProcessEnv = process.env): number {
  const text = env["STEPWISE_THREAD_NICE"]?.trim();
  if (text === undefined || text === "") return DEFAULT_NICE;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 && value <= 19 ? value : DEFAULT_NICE;
}

/**
 * Lowers the calling thread's priority to `backgroundNice()`; answers the nice value set, or
 * null when nothing was changed. Linux only: /proc/thread-self names the calling thread's id,
 * and setpriority() on a thread id changes that thread alone.
 */
export function yieldToTraining(nice = backgroundNice()): number | null {
  if (process.platform !== "linux" || nice === 0) return null;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return null; // never the main thread
    setPriority(tid, nice);
    return nice;
  } catch {
    return null;
  }
}
