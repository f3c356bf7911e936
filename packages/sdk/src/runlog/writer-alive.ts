/** Whether the process that wrote a run log still runs: same host and its pid alive. */
import { hostname } from "node:os";

export function writerAlive(host: string, pid: number): boolean {
  if (host !== hostname()) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
