/**
 * What the workspace asks of the runs listing (its `select`): only the config and summary paths
 * the table shows (its added columns), sorts by and groups by, and the summary's `_step` (a media
 * panel's version of a run). A run logging 100,000 keys then lists in a few hundred bytes, not
 * megabytes; the listing is asked again when the columns, sort or grouping change.
 */
import type { RunListSelectDto } from "@stepwise/protocol";
import { splitValueColumn } from "./dotted-value.js";
import type { WorkspaceView } from "./url-state.js";

/** Always listed: a media panel reloads a run's steps when its `_step` moves. */
const ALWAYS_SUMMARY = ["_step"];

export function runListSelect(view: Pick<WorkspaceView, "columns" | "sort" | "groupBy">): RunListSelectDto {
  const config = new Set<string>();
  const summary = new Set<string>(ALWAYS_SUMMARY);
  const sortColumn = view.sort.startsWith("-") ? view.sort.slice(1) : view.sort;
  for (const column of [...view.columns, sortColumn, view.groupBy]) {
    const value = splitValueColumn(column);
    if (value !== null) (value.source === "config" ? config : summary).add(value.path);
  }
  return { config: [...config].sort(), summary: [...summary].sort() };
}

/** The same selection as text, for effect keys: equal selections, equal keys. */
export function selectKey(select: RunListSelectDto | undefined): string {
  return select === undefined ? "" : JSON.stringify([select.config ?? [], select.summary ?? []]);
}

/** `select` lists everything `needed` lists (undefined: whole runs, which list everything). */
export function selectCovers(select: RunListSelectDto | undefined, needed: RunListSelectDto): boolean {
  if (select === undefined) return true;
  const config = new Set(select.config ?? []);
  const summary = new Set(select.summary ?? []);
  return (
    (needed.config ?? []).every((p) => config.has(p)) && (needed.summary ?? []).every((p) => summary.has(p))
  );
}

/** A `config.<path>` / `summary.<path>` column whose values `select` lists (any other column: true). */
export function columnListed(column: string, select: RunListSelectDto | undefined): boolean {
  const value = splitValueColumn(column);
  if (value === null || select === undefined) return true;
  return (select[value.source] ?? []).includes(value.path);
}

type Json = Record<string, unknown>;
const isPlain = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Two selections of one run's values together: `{a: {x}}` and `{a: {y}}` give `{a: {x, y}}`. */
export function mergeValues(more: Json, listed: Json): Json {
  const out: Json = { ...more };
  for (const [key, value] of Object.entries(listed)) {
    const known = out[key];
    const merged = isPlain(known) && isPlain(value) ? mergeValues(known, value) : value;
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
