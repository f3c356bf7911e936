// The built `stepwise server` in a child process on a free port (the benches' one way to start
// it): resolves once it prints where it listens.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../packages/cli/bin/stepwise.js", import.meta.url));

/**
 * `{ url, pid, process, stop }`; `stop()` sends SIGTERM and resolves when the server has exited.
 * `args`: more `stepwise server` flags (`["--database", "postgres://…"]`).
 */
export async function startServer(dataDir, args = []) {
  const child = spawn(process.execPath, [BIN, "server", "--port", "0", "--data", dataDir, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { url, pid: child.pid, process: child, stop };
}
