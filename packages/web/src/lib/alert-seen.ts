/**
 * The header bell's count: alerts with an id above the last one seen are new. Alert ids grow
 * with every alert the server stores, so one number (kept in localStorage) says what was seen.
 */
export function unseenAlerts(alerts: ReadonlyArray<{ id: number }>, lastSeenId: number): number {
  return alerts.reduce((count, alert) => (alert.id > lastSeenId ? count + 1 : count), 0);
}

/** What opening the list marks as seen: the newest id shown, never less than what was seen before. */
export function seenAfterOpening(alerts: ReadonlyArray<{ id: number }>, lastSeenId: number): number {
  return alerts.reduce((newest, alert) => Math.max(newest, alert.id), lastSeenId);
}

/** A stored value as a last-seen id: a missing or damaged value counts as nothing seen. */
export function parseSeenId(stored: string | null): number {
  const value = Number(stored ?? "0");
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}
