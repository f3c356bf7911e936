/**
 * Every run of a project that matches the filters, loaded page by page (a small first page, then
 * 1,000 a page, following `nextCursor`); the first page renders as soon as it arrives. A new query (filters or name
 * search changed) waits 250 ms for typing to settle. While a loaded run is running, the running
 * runs and the newest page are refreshed every 2 s (new runs, changed states and summaries)
 * instead of reloading every page; otherwise the newest page is checked every 10 s.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import {
  RUN_LIST_MAX_LIMIT,
  type RunDto,
  type RunFilterDto,
  type RunListSelectDto,
  type RunOrder,
} from "@stepwise/protocol";
import { listRuns } from "../../api/client.js";
import { mergeRunList, withNameSearch } from "../../lib/run-list-merge.js";
import { selectKey } from "../../lib/run-list-select.js";

export interface RunsQuery {
  filters: readonly RunFilterDto[];
  /** Name substring; "" for none. */
  search: string;
  /** The order pages arrive in (the table re-sorts locally; this only picks the first page). */
  order: RunOrder | undefined;
  /**
   * Only these config and summary paths in each run (the listing's `select`); undefined for
   * whole runs. A new selection reloads every page, as new filters do.
   */
  select?: RunListSelectDto | undefined;
}

export interface RunsState {
  /** Loaded runs, in arrival order. */
  runs: RunDto[];
  /** Matching runs on the server (all pages); null before the first page. */
  total: number | null;
  /** Every page loaded. */
  complete: boolean;
  error: unknown;
  /** The `select` the loaded runs answer (undefined: whole runs), which may lag the asked one. */
  selected: RunListSelectDto | undefined;
  reload: () => void;
}

const DEBOUNCE_MS = 250;
const LIVE_POLL_MS = 2000;
const IDLE_POLL_MS = 10_000;
/**
 * The first page is small: 200 runs come back in ~25 ms instead of ~90 ms for 1,000 and fill
 * more than a screen, so the table shows up sooner; the rest come 1,000 a page.
 */
const FIRST_PAGE = 200;
/** The newest runs re-read on each poll: enough to catch runs started since the last one. */
const POLL_PAGE = 100;

export function useRuns(entity: string, project: string, query: RunsQuery): RunsState {
  const filters = useRef<RunFilterDto[]>([]);
  filters.current = withNameSearch(query.filters, query.search);
  const order = useRef(query.order);
  order.current = query.order;
  const select = useRef(query.select);
  select.current = query.select;
  const key = JSON.stringify([entity, project, filters.current, selectKey(query.select)]);
  const [state, setState] = useState<Omit<RunsState, "reload">>(() => emptyState());
  const [generation, setGeneration] = useState(0);
  const runsRef = useRef<RunDto[]>([]);
  runsRef.current = state.runs;
  // Only a re-query waits for typing to settle; the first load (and a reload) starts at once.
  const hasData = useRef(false);
  hasData.current = state.total !== null;

  useEffect(() => {
    const controller = new AbortController();
    const delay = hasData.current ? DEBOUNCE_MS : 0;
    const timer = setTimeout(() => {
      const asked = { filters: filters.current, order: order.current, select: select.current };
      void loadAll(entity, project, asked, controller.signal, (next) =>
        setState((prev) => ({ ...prev, ...next })),
      );
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, generation]);

  const anyRunning = state.runs.some((run) => run.state === "running");
  const ready = state.complete && state.error === null;
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    const timer = setInterval(
      () => {
        const asked = { filters: filters.current, select: select.current };
        void refresh(entity, project, asked, runsRef.current, controller.signal).then((update) => {
          if (update !== null && !controller.signal.aborted) setState((prev) => applyRefresh(prev, update));
        });
      },
      anyRunning ? LIVE_POLL_MS : IDLE_POLL_MS,
    );
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [key, generation, anyRunning, ready]);

  const reload = useCallback(() => {
    setState(emptyState());
    setGeneration((g) => g + 1);
  }, []);
  return { ...state, reload };
}

function emptyState(): Omit<RunsState, "reload"> {
  return { runs: [], total: null, complete: false, error: null, selected: undefined };
}

type Patch = Partial<Omit<RunsState, "reload">>;

interface Asked {
  filters: RunFilterDto[];
  order?: RunOrder | undefined;
  select: RunListSelectDto | undefined;
}

async function loadAll(
  entity: string,
  project: string,
  { filters, order, select }: Asked,
  signal: AbortSignal,
  publish: (patch: Patch) => void,
): Promise<void> {
  const runs: RunDto[] = [];
  let cursor: string | null = null;
  try {
    do {
      const body = {
        filters,
        limit: cursor === null ? FIRST_PAGE : RUN_LIST_MAX_LIMIT,
        ...(order === undefined ? {} : { order }),
        ...(cursor === null ? {} : { cursor }),
        ...(select === undefined ? {} : { select }),
      };
      const page = await listRuns(entity, project, body, signal);
      if (signal.aborted) return;
      runs.push(...page.runs);
      cursor = page.nextCursor;
      publish({
        runs: [...runs],
        total: page.total,
        complete: cursor === null,
        error: null,
        selected: select,
      });
    } while (cursor !== null);
  } catch (error) {
    if (signal.aborted) return;
    publish({ error });
  }
}

interface Refresh {
  changed: RunDto[];
  total: number;
}

/** The running runs (by id) and the newest page, in one or a few requests. */
async function refresh(
  entity: string,
  project: string,
  { filters, select }: Asked,
  loaded: readonly RunDto[],
  signal: AbortSignal,
): Promise<Refresh | null> {
  const selecting = select === undefined ? {} : { select };
  try {
    const newest = await listRuns(entity, project, { filters, limit: POLL_PAGE, ...selecting }, signal);
    const changed = [...newest.runs];
    const running = loaded.filter((run) => run.state === "running").map((run) => run.id);
    for (let i = 0; i < running.length; i += RUN_LIST_MAX_LIMIT) {
      const ids = running.slice(i, i + RUN_LIST_MAX_LIMIT);
      const byId: RunFilterDto = { field: "id", op: "in", value: ids };
      const body = { filters: [byId], limit: RUN_LIST_MAX_LIMIT, ...selecting };
      const page = await listRuns(entity, project, body, signal);
      changed.push(...page.runs);
    }
    return { changed, total: newest.total };
  } catch {
    // A failed poll is retried on the next tick; the table keeps what it shows.
    return null;
  }
}

function applyRefresh(prev: Omit<RunsState, "reload">, update: Refresh): Omit<RunsState, "reload"> {
  const runs = mergeRunList(prev.runs, update.changed);
  if (runs === null && prev.total === update.total) return prev;
  const next = runs ?? prev.runs;
  return { ...prev, runs: next, total: Math.max(update.total, next.length) };
}
