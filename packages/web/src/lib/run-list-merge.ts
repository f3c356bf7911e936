/**
 * Live updates of a loaded runs list: a poll returns some runs again (the newest page and the
 * running ones); those that changed replace their old objects, new ones go first, and runs that
 * did not change keep their object, so that memoised rows and cells are not redone.
 */
import type { RunDto, RunFilterDto } from "@stepwise/protocol";

/** The list with `fresh` merged in, or null when nothing a table or chart shows has changed. */
export function mergeRunList(loaded: readonly RunDto[], fresh: readonly RunDto[]): RunDto[] | null {
  const byId = new Map(fresh.map((run) => [run.id, run]));
  let dirty = false;
  const merged = loaded.map((run) => {
    const next = byId.get(run.id);
    byId.delete(run.id);
    if (next === undefined || sameRun(run, next)) return run;
    dirty = true;
    return next;
  });
  if (byId.size === 0 && !dirty) return null;
  return [...byId.values(), ...merged];
}

/** The filters plus the name search, which the server reads as "name contains". */
export function withNameSearch(filters: readonly RunFilterDto[], search: string): RunFilterDto[] {
  const text = search.trim();
  return text === "" ? [...filters] : [...filters, { field: "name", op: "contains", value: text }];
}

/** Equal for the UI: a heartbeat, a new history row, a state, name, tag or summary change differ. */
function sameRun(a: RunDto, b: RunDto): boolean {
  return (
    a.heartbeatAt === b.heartbeatAt &&
    a.state === b.state &&
    a.name === b.name &&
    a.notes === b.notes &&
    a.offsets.history === b.offsets.history &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) &&
    JSON.stringify(a.summary) === JSON.stringify(b.summary) &&
    JSON.stringify(a.config) === JSON.stringify(b.config)
  );
}
