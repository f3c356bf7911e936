/**
 * A run file path the protocol allows but a file system would refuse when the file is
 * downloaded (`restore`, `stepwise files get`): a name over 255 bytes. Refused at upload with a
 * 400 naming the path and the fix, before any byte is stored. (Blobs are stored by sha256, so
 * the path never becomes a server file name.)
 */
import { InvalidDataError } from "@stepwise/protocol";

/** Longest file or folder name, in bytes, that Linux file systems (ext4, xfs, btrfs, tmpfs) take. */
const MAX_NAME_BYTES = 255;

export function assertStorablePath(path: string): void {
  if (path.split("/").every((name) => Buffer.byteLength(name) <= MAX_NAME_BYTES)) return;
  throw new InvalidDataError(
    `run file '${shortened(path)}' cannot be stored: a name in it is longer than 255 bytes ` +
      "(the longest file name a file system takes, so it could not be downloaded); shorten it",
  );
}

/** Long paths are cut in messages, so that the reply stays readable. */
function shortened(path: string): string {
  return path.length > 120 ? `${path.slice(0, 120)}…` : path;
}
