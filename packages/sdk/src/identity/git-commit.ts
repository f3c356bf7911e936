/** The git commit the program runs from, read from `.git` files (no child process at init). */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

export function findGitCommit(start: string): string | null {
  try {
    let dir = start;
    for (;;) {
      const dotGit = join(dir, ".git");
      if (existsSync(dotGit)) return statSync(dotGit).isDirectory() ? readHead(dotGit) : null;
      const parent = dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
  } catch {
    return null;
  }
}

function readHead(gitDir: string): string | null {
  const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
  if (!head.startsWith("ref: ")) return /^[0-9a-f]{40}$/.test(head) ? head : null;
  const ref = head.slice(5);
  const loose = join(gitDir, ref);
  if (existsSync(loose)) return readFileSync(loose, "utf8").trim() || null;
  const packed = join(gitDir, "packed-refs");
  if (!existsSync(packed)) return null;
  const line = readFileSync(packed, "utf8")
    .split("\n")
    .find((l) => l.endsWith(` ${ref}`));
  return line ? (line.split(" ")[0] ?? null) : null;
}
