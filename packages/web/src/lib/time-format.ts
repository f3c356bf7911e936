/**
 * Times as the UI shows them. The API gives Unix seconds; durations read `1h 02m`, `3m 05s`,
 * `42s`; wall times are local and ISO-like so that columns line up.
 */

/** `2d 03h`, `1h 02m`, `3m 05s`, `42s`, `0.4s`; negative or non-finite → `–`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds < 10) return `${Math.round(seconds * 10) / 10}s`;
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (days > 0) return `${days}d ${pad(hours)}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(secs)}s`;
  return `${secs}s`;
}

/** `just now`, `5m ago`, `3h ago`, `2d ago`, then the date. `now` in Unix seconds. */
export function formatRelativeTime(unixSeconds: number, now: number): string {
  const ago = now - unixSeconds;
  if (ago < 45) return "just now";
  if (ago < 3600) return `${Math.round(ago / 60)}m ago`;
  if (ago < 86_400) return `${Math.round(ago / 3600)}h ago`;
  if (ago < 30 * 86_400) return `${Math.round(ago / 86_400)}d ago`;
  return formatDateTime(unixSeconds).slice(0, 10);
}

/** `2026-11-21 14:03:07` in local time. */
export function formatDateTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Seconds a run has been going: until it finished, or until its last heartbeat if it has not. */
export function runDuration(run: {
  createdAt: number;
  heartbeatAt: number;
  finishedAt: number | null;
}): number {
  return (run.finishedAt ?? run.heartbeatAt) - run.createdAt;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
