/** What `main` needs to know about a subcommand: its name, a one-line summary, and how to run it. */
import type { CliIo } from "../cli-io.js";

export interface Command {
  name: string;
  /** Shown in `stepwise --help`. */
  summary: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}
