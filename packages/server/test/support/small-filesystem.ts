/**
 * A real, small file system for full-disk tests: a tmpfs of the given size mounted on a fresh
 * directory (needs root, or CAP_SYS_ADMIN); where tmpfs cannot be mounted, an ext4 image on a
 * loop device. `unavailable` says why neither worked, for the test's skip reason. `fill()` takes
 * every free byte with a filler file; `free()` deletes it again.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SmallFilesystem {
  path: string;
  /** Writes a filler file until the file system says ENOSPC. */
  fill(): void;
  /** Deletes the filler file. */
  free(): void;
  unmount(): void;
}

export function mountSmallFilesystem(megabytes: number): SmallFilesystem | { unavailable: string } {
  const path = mkdtempSync(join(tmpdir(), "stepwise-smallfs-"));
  const filler = join(path, "filler");
  const made = (unmount: () => void): SmallFilesystem => ({
    path,
    fill: () => fillUntilFull(filler),
    free: () => rmSync(filler, { force: true }),
    unmount,
  });
  const reasons: string[] = [];
  try {
    run("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", path]);
    return made(() => {
      run("umount", [path]);
      rmSync(path, { recursive: true, force: true });
    });
  } catch (error) {
    reasons.push(`mount -t tmpfs: ${messageOf(error)}`);
  }
  const image = `${path}.img`;
  try {
    run("truncate", ["-s", `${megabytes}M`, image]);
    run("mkfs.ext4", ["-q", "-F", image]);
    run("mount", ["-o", "loop", image, path]);
    return made(() => {
      run("umount", [path]);
      rmSync(path, { recursive: true, force: true });
      rmSync(image, { force: true });
    });
  } catch (error) {
    reasons.push(`loop-mounted ext4: ${messageOf(error)}`);
    rmSync(image, { force: true });
    rmSync(path, { recursive: true, force: true });
  }
  return { unavailable: `no small file system can be mounted here (${reasons.join("; ")})` };
}

function fillUntilFull(file: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const fd = openSync(file, "a");
  try {
    for (let size = chunk.length; size >= 512;) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ["ignore", "ignore", "pipe"] });
}

function messageOf(error: unknown): string {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  return stderr !== undefined && stderr !== ""
    ? stderr
    : error instanceof Error
      ? error.message
      : String(error);
}
