/** Starts e2e/support/surroundings-run.mjs and resolves with its run id (read from fd 3). */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { E2eServer } from "./e2e-server.js";

const CHILD = fileURLToPath(new URL("./surroundings-run.mjs", import.meta.url));

export interface SurroundingsRun {
  id: string;
  child: ChildProcess;
  /** Resolves when the child printed "done" (a finished run) or exited. */
  done: Promise<void>;
  kill(): Promise<void>;
}

export function startSurroundingsRun(
  server: E2eServer,
  dir: string,
  project: string,
  mode: "live" | "done",
): Promise<SurroundingsRun> {
  const child = spawn(process.execPath, [CHILD, server.url, server.adminKey, dir, project, mode], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let out = "";
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  void exited.then(() => finished());
  return new Promise((resolve, reject) => {
    const control = child.stdio[3] as NodeJS.ReadableStream;
    control.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /id (\S+)\n/.exec(out);
      if (match?.[1] !== undefined)
        resolve({
          id: match[1],
          child,
          done,
          kill: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
            await exited;
          },
        });
      if (out.includes("done\n")) finished();
    });
    child.once("exit", (code) => {
      if (!/id \S+\n/.test(out)) reject(new Error(`surroundings run exited (${code}): ${stderr}`));
    });
  });
}
