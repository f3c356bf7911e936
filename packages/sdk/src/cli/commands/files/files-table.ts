/** The `stepwise files ls` table: path, size (binary units) and last change (UTC, minutes). */
import type { FileDto } from "@stepwise/protocol";
import { textTable } from "../../format/text-table.js";

const HEADER = ["PATH", "SIZE", "UPDATED (UTC)"] as const;

export function filesTable(files: readonly FileDto[]): string {
  return textTable(
    HEADER,
    files.map((file) => [file.path, formatBytes(file.size), utcMinute(file.updatedAt)]),
  );
}

/** `812 B`, `1.5 KiB`, `12.0 MiB`, `3.2 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function utcMinute(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace("T", " ");
}
