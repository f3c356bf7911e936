/**
 * Runs the built `stepwise` bin with a real terminal as its stdout and stderr (a pseudo-terminal
 * from util-linux `script`), as a user typing the command sees it.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { BIN } from "./run-cli.js";

export const HAS_SCRIPT = existsSync("/usr/bin/script");

export function runOnTerminal(args: readonly string[]): Promise<{ code: number; output: string }> {
  const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const child = execFile("/usr/bin/script", ["-qec", command, "/dev/null"], (error, stdout) => {
      if (error && typeof error.code !== "number")
        reject(new Error("could not run script(1)", { cause: error }));
      else resolve({ code: typeof error?.code === "number" ? error.code : 0, output: stdout });
    });
    child.stdin?.end();
  });
}
