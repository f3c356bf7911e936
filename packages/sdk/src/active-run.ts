/** The process's active run: `import { run } from "@stepwise/sdk"` is a live binding to it. */
import { UsageError } from "@stepwise/protocol";
import type { FinishOptions, LogOptions, Run } from "./run/run.js";

export let run: Run | null = null;

export function getRun(): Run | null {
  return run;
}

export function setActiveRun(active: Run | null): void {
  run = active;
}

/** `run.log` on the active run; throws if there is none. */
export function log(data: Record<string, unknown>, options?: LogOptions): void {
  if (run === null) throw new UsageError("You must call init() before log()");
  run.log(data, options);
}

/** `run.finish` on the active run; does nothing if there is none. */
export async function finish(options?: FinishOptions): Promise<void> {
  await run?.finish(options);
}
