/**
 * How the version page states a version's time to live (`ttlS`, seconds from `createdAt`):
 * none, when it runs out, or that it has (retention then deletes it unless it is the newest,
 * holds an alias or is linked in a registry).
 */
import { formatDateTime, formatDuration } from "./time-format.js";

export function describeTtl(ttlS: number | null, createdAt: number, nowS: number): string {
  if (ttlS === null) return "none (kept until deleted)";
  const expiresAt = createdAt + ttlS;
  const span = formatDuration(ttlS);
  if (nowS >= expiresAt)
    return `${span}, expired ${formatDateTime(expiresAt)} (deleted by retention unless newest, aliased or linked)`;
  return `${span}, expires ${formatDateTime(expiresAt)}`;
}
