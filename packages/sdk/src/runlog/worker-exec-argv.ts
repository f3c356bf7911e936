/**
 * The Node options the SDK's threads start with (the run log's writer, the media threads, the
 * upload worker, the system-metrics sampler, the artifact sealer): the process's own, less
 * `--input-type`. A worker inherits the process's options, and a training script passed inline
 * (`node --input-type=module -e "…"`) would stop every one of them: a file worker refuses the
 * option outright, and an eval'd worker body is read as a module, where it cannot start.
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if (arg.startsWith("--input-type=")) continue;
    if (arg === "--input-type") {
      i++; // and its value
      continue;
    }
    kept.push(arg);
  }
  return kept;
}
