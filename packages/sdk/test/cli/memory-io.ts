/** An in-memory CliIo for running main() in-process and reading what it printed. */
import { Writable } from "node:stream";
import type { CliIo } from "../../src/cli/cli-io.js";

export interface MemoryIo extends CliIo {
  out: () => string;
  err: () => string;
}

export function memoryIo(): MemoryIo {
  const text = { out: "", err: "" };
  const sink = (name: "out" | "err"): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text[name] += chunk.toString();
        callback();
      },
    });
  return {
    stdout: sink("out"),
    stderr: sink("err"),
    stdoutIsTty: false,
    stderrIsTty: false,
    out: () => text.out,
    err: () => text.err,
  };
}
