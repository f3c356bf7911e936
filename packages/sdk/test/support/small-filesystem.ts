/**
 * A real small filesystem for full-disk tests: a tmpfs of a few hundred KiB mounted under a
 * test's temp directory (needs root and a sandbox that allows mounts; `canMountTmpfs()` says
 * whether this machine does), and a filler file that takes every byte left.
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const FILLER = "filler.bin";

export function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), "stepwise-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}

export interface SmallFilesystem {
  path: string;
  /** Writes a filler file until the filesystem has no byte left (ENOSPC). */
  fill(): void;
  /** Deletes the filler: the space is back. */
  free(): void;
  unmount(): void;
}

export function mountTmpfs(parent: string, bytes: number): SmallFilesystem {
  const path = join(parent, "small-fs");
  mkdirSync(path, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", path]);
  const filler = join(path, FILLER);
  return {
    path,
    fill: () => {
      const fd = openSync(filler, "a");
      try {
        for (let chunk = 64 * 1024; chunk >= 1;) {
          try {
            writeSync(fd, Buffer.alloc(chunk));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
            chunk = Math.floor(chunk / 2);
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount: () => execFileSync("umount", ["-l", path]),
  };
}
