/** The `stepwise` CLI as a library: `main(argv)` resolves to the exit code (bin/stepwise.js sets it). */
export { main } from "./main.js";
export type { CliIo } from "./cli-io.js";
export { ExitCode } from "./exit-codes.js";
