/** `init()` and `withRun()`: start a run (or return the active one). */
import { getRun, setActiveRun } from "./active-run.js";
import { Terminal } from "./console/terminal.js";
import { resolveResume } from "./resume/resolve-resume.js";
import { createRun, newTerminal } from "./run/create-run.js";
import type { Run } from "./run/run.js";
import type { InitOptions } from "./settings/init-options.js";
import { resolveSettings } from "./settings/resolve-settings.js";

/**
 * Starts a run. A second call while a run is active returns that run unchanged and ignores
 * the new options (W&B's default). Never fails because a server is unreachable.
 */
export async function init(options: InitOptions = {}): Promise<Run> {
  const active = getRun();
  if (active !== null) {
    const settings = resolveSettings(options);
    new Terminal(settings.silent ? "silent" : "normal").warn(
      "init() called while a run is active, so returning the active run; its options are unchanged.",
    );
    return active;
  }
  const settings = resolveSettings(options);
  const terminal = newTerminal(settings);
  const tagsGiven = options.tags !== undefined || (process.env["STEPWISE_TAGS"] ?? "") !== "";
  // Only resuming asks the server anything at init; a new run resolves its id and name locally.
  const resume = await resolveResume(settings, terminal, tagsGiven);
  const again = getRun();
  if (again !== null) return again;
  const created = createRun(
    settings,
    () => {
      if (getRun() === created) setActiveRun(null);
    },
    resume,
    terminal,
  );
  setActiveRun(created);
  return created;
}

/** Runs `fn` with a fresh run: finishes with 0 when it returns, with 1 (and rethrows) when it throws. */
export async function withRun<T>(options: InitOptions, fn: (run: Run) => Promise<T>): Promise<T> {
  const run = await init(options);
  let result: T;
  try {
    result = await fn(run);
  } catch (error) {
    await run.finish({ exitCode: 1 });
    throw error;
  }
  await run.finish({ exitCode: 0 });
  return result;
}
