/**
 * The one rule for binary output (`stepwise export` and `stepwise tables export` with
 * `--format parquet`): never onto a terminal, where it would garble the screen. A file (`--out`)
 * or a redirect is fine; checked before anything is written.
 */
import { UsageError } from "@stepwise/protocol";
import type { CliIo } from "../cli-io.js";

export function refuseBinaryOnTerminal(format: string, out: string | null, io: CliIo): void {
  if (format === "parquet" && out === null && io.stdoutIsTty)
    throw new UsageError("Parquet is binary: pass --out FILE or redirect stdout to a file");
}
