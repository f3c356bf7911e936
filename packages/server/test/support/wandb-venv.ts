/**
 * The real `wandb` Python client for tests: a virtual environment per pinned version under the
 * repository's `.tmp/` (`.tmp/wandb-venv-<version>`), made with `python3 -m venv` and
 * `pip install wandb==<version>` from PyPI the first time, and reused after (a `.ready` marker is
 * written only once the install worked; a lock folder keeps two test processes from building the
 * same one). Anything missing (python3, its venv module, PyPI) is a thrown error saying what to
 * install: the W&B tests fail, they never skip silently.
 */
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The client versions the W&B tests run against (docs/wandb.md lists them). */
export const WANDB_VERSIONS = ["0.18.7", "0.22.3", "0.25.1", "0.28.2"] as const;

/**
 * The canary's "version": whatever PyPI serves as the newest `wandb` release, installed unpinned
 * and made again once its venv is a day old (wandb-canary.int.test.ts).
 */
export const NEWEST_RELEASE = "newest";
const NEWEST_MAX_AGE_MS = 24 * 3600_000;

const REPO_ROOT = join(import.meta.dirname, "..", "..", "..", "..");
/** A lock older than this was left by a killed process. */
const STALE_LOCK_MS = 15 * 60_000;

/** What the media test's script imports besides wandb (wandb.Image of an array needs both). */
export const MEDIA_PACKAGES = ["numpy==2.2.6", "pillow==11.3.0"] as const;

/**
 * The venv's python for `version`, made (once) when missing; `extras` (pinned pip requirements)
 * are installed into it once too (a `.ready-<extras>` marker each set).
 */
export async function wandbPython(version: string, extras: readonly string[] = []): Promise<string> {
  const dir = join(REPO_ROOT, ".tmp", `wandb-venv-${version}`);
  const python = join(dir, "bin", "python");
  const ready = join(dir, ".ready");
  const extrasReady = join(dir, `.ready-${extras.join("+").replace(/[^\w.=+-]/g, "_")}`);
  const done = (): boolean => existsSync(ready) && (extras.length === 0 || existsSync(extrasReady));
  if (
    version === NEWEST_RELEASE &&
    Date.now() - (statSync(ready, { throwIfNoEntry: false })?.mtimeMs ?? 0) > NEWEST_MAX_AGE_MS
  )
    await rm(ready, { force: true });
  if (done()) return python;
  await mkdir(join(REPO_ROOT, ".tmp"), { recursive: true });
  const lock = `${dir}.lock`;
  if (!(await acquire(lock, done))) return python;
  try {
    if (!existsSync(ready)) {
      await rm(dir, { recursive: true, force: true });
      await build(dir, version);
      await writeFile(ready, `${version}\n`);
    }
    if (extras.length > 0 && !existsSync(extrasReady)) {
      await pipInstall(dir, extras);
      await writeFile(extrasReady, `${extras.join("\n")}\n`);
    }
    return python;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function build(dir: string, version: string): Promise<void> {
  try {
    await run("python3", ["-m", "venv", dir], { timeout: 120_000 });
  } catch (error) {
    throw new Error(
      `cannot make a Python virtual environment for wandb ${version} (python3 -m venv ${dir} failed: ` +
        `${lastLines(error)}); install python3 and its venv module (Debian: apt-get install python3-venv)`,
      { cause: error },
    );
  }
  await pipInstall(dir, [version === NEWEST_RELEASE ? "wandb" : `wandb==${version}`]);
}

async function pipInstall(dir: string, requirements: readonly string[]): Promise<void> {
  try {
    await run(
      join(dir, "bin", "pip"),
      ["install", "--quiet", "--disable-pip-version-check", ...requirements],
      {
        timeout: 600_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (error) {
    throw new Error(
      `cannot pip install ${requirements.join(" ")} from PyPI into ${dir}: ${lastLines(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** True once this process holds the lock; false when another one finished the venv meanwhile. */
async function acquire(lock: string, done: () => boolean): Promise<boolean> {
  for (;;) {
    try {
      await mkdir(lock);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (done()) return false;
    const held = statSync(lock, { throwIfNoEntry: false });
    if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MS)
      await rm(lock, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function lastLines(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr;
  const text =
    stderr !== undefined && stderr !== "" ? stderr : error instanceof Error ? error.message : String(error);
  return text.trim().split("\n").slice(-3).join(" | ").slice(0, 500);
}
