/**
 * Which files `run.logCode(root, { include, exclude })` logs: a walk of `root` (symbolic links
 * not followed), each file's path relative to `root` with `/` separators passed to the
 * predicates. Defaults (issue 12, W&B's `log_code` for Node): include `.ts`, `.js`, `.mjs`,
 * `package.json` and lockfiles; exclude anything under a `node_modules` or `stepwise` folder
 * (the SDK's run directories). A folder the exclude predicate matches (its path with a
 * trailing `/`) is not walked into. Sorted in code-point order.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

export interface CodeFileOptions {
  /** Whether a file (path relative to root, `/`-separated) is source to log. */
  include?: (path: string) => boolean;
  /** Whether a file, or a folder (path ending in `/`), is left out. Checked after include. */
  exclude?: (path: string) => boolean;
}

const LOCKFILES = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "bun.lockb",
]);

export function defaultCodeInclude(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return /\.(ts|js|mjs)$/.test(base) || base === "package.json" || LOCKFILES.has(base);
}

export function defaultCodeExclude(path: string): boolean {
  return path.split("/").some((part) => part === "node_modules" || part === "stepwise");
}

export function listCodeFiles(root: string, options: CodeFileOptions = {}): string[] {
  const include = options.include ?? defaultCodeInclude;
  const exclude = options.exclude ?? defaultCodeExclude;
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = prefix + entry.name;
      if (entry.isDirectory()) {
        if (!exclude(path + "/")) walk(join(dir, entry.name), path + "/");
      } else if (entry.isFile() && include(path) && !exclude(path)) out.push(path);
    }
  };
  walk(root, "");
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
