/**
 * Finishes runs the program did not finish itself (W&B reference §4.3): a normal exit → the
 * process exit code (0 when none was set), an uncaught exception or unhandled rejection → 1
 * (Node exits with 1 and emits "exit"), SIGINT → 255, SIGTERM → 143. The "exit" event runs
 * synchronously, so finishers must be synchronous; the writer worker is still alive then.
 */
type Finisher = (exitCode: number) => void;

const finishers = new Set<Finisher>();
let installed = false;

/** Registers a synchronous finisher; returns the function that unregisters it. */
export function finishOnExit(finisher: Finisher): () => void {
  install();
  finishers.add(finisher);
  return () => finishers.delete(finisher);
}

function finishAll(exitCode: number): void {
  for (const finisher of [...finishers]) {
    finishers.delete(finisher);
    try {
      finisher(exitCode);
    } catch (error) {
      process.stderr.write(`stepwise: ERROR could not finish the run at exit: ${String(error)}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", (code) => finishAll(typeof code === "number" ? code : 0));
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/**
 * If the program handles the signal itself, it decides what happens (and a later exit still
 * finishes the run). Otherwise: finish the runs, then die of the same signal as Node would.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  finishAll(signal === "SIGINT" ? 255 : 143);
  process.removeListener("SIGINT", onSignal);
  process.removeListener("SIGTERM", onSignal);
  process.kill(process.pid, signal);
}
