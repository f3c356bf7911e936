/**
 * Files a user logs as media (an image, a video, a molecule…): checked and copied at log() time,
 * so that a missing file or a wrong type is an error at the call and a file the caller deletes
 * or rewrites right after log() is still logged as it was. The copy goes to a temp folder of
 * this process (like W&B's `*wandb-media`); the media worker moves it into the run directory.
 */
import { constants, copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { InvalidDataError } from "@stepwise/protocol";

let staged = 0;
let stagingDir: string | null = null;

/** The extension of a path, lower case, without the dot; `pts.json` counts as one. */
export function extensionOf(path: string): string {
  const name = basename(path).toLowerCase();
  if (name.endsWith(".pts.json")) return "pts.json";
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1);
}

/** Largest media file: the media worker reads a file whole, and Node reads at most 2 GiB at once. */
export const MAX_MEDIA_FILE_BYTES = 2 ** 31 - 1;

/**
 * Throws unless `path` is an existing regular file whose extension is one of `allowed` (empty:
 * any) and that is at most MAX_MEDIA_FILE_BYTES (refused here, before any copy is made).
 */
export function checkMediaFile(path: string, what: string, allowed: readonly string[]): string {
  const ext = extensionOf(path);
  if (allowed.length > 0 && !allowed.includes(ext))
    throw new InvalidDataError(
      `${what}: "${path}" has the file type "${ext || "(none)"}"; accepted: ${allowed.join(", ")} (rename the file or convert it)`,
    );
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined)
    throw new InvalidDataError(`${what}: the file "${path}" does not exist; check the path`);
  if (!stat.isFile())
    throw new InvalidDataError(`${what}: "${path}" is not a regular file; give the path of a file`);
  if (stat.size > MAX_MEDIA_FILE_BYTES)
    throw new InvalidDataError(
      `${what}: "${path}" is ${(stat.size / 2 ** 30).toFixed(2)} GiB; a media file may be at most 2 GiB (save it with run.save() instead, or shorten it)`,
    );
  return ext;
}

/**
 * Like checkMediaFile; a path without an extension takes `fileType` as its type (sdk.md: the
 * type of a file named without one), one with an extension keeps its own.
 */
export function checkTypedMediaFile(
  path: string,
  what: string,
  allowed: readonly string[],
  fileType: string | undefined,
): string {
  if (fileType === undefined || extensionOf(path) !== "") return checkMediaFile(path, what, allowed);
  checkMediaFile(path, what, []);
  return fileType;
}

/**
 * A private copy of `path`, made now on the caller's thread: a copy-on-write clone where the
 * filesystem has one (COPYFILE_FICLONE: btrfs, XFS, APFS), else a full copy (which costs the
 * file's size in time on the training thread; the temp folder may be on another filesystem). The media worker removes it once written into the run; copies never
 * logged (a disabled run) go with the folder at exit, after the runs' own exit hooks (the
 * cleanup is moved behind them at every copy), which still write what is queued.
 */
export function stageCopy(path: string): string {
  if (stagingDir === null) {
    removeAbandonedStaging();
    stagingDir = join(tmpdir(), `stepwise-media-${process.pid}`);
    mkdirSync(stagingDir, { recursive: true });
  }
  const copy = join(stagingDir, `${++staged}-${basename(path)}`);
  copyFileSync(path, copy, constants.COPYFILE_FICLONE);
  process.removeListener("exit", removeStaging);
  process.on("exit", removeStaging);
  return copy;
}

function removeStaging(): void {
  if (stagingDir !== null) rmSync(stagingDir, { recursive: true, force: true });
}

/**
 * The staging folders of processes that are gone (killed before their exit hook ran): nothing
 * reads a copy after its process died (the media worker of that process was its only reader),
 * so they are removed — once per process, at its first copy. A folder whose pid is alive is
 * kept, whoever holds that pid now.
 */
function removeAbandonedStaging(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^stepwise-media-(\d+)$/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
