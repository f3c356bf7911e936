/**
 * Rows of a server-side table, a page at a time: the grid says which rows are in view, this
 * fetches the pages that hold them (PAGE_ROWS rows each, at most MAX_PAGES kept, the oldest
 * dropped) and answers `rowAt(i)` with the row or `undefined` while its page loads. A change of
 * query (sort, filter, version) starts over; the total row count comes with every page.
 */
import { useCallback, useEffect, useRef, useState } from "react";

export const PAGE_ROWS = 200;
const MAX_PAGES = 50;

export interface TablePageAnswer<Row> {
  rows: Row[];
  /** Rows matching the query in all. */
  total: number;
}

export type LoadPage<Row> = (
  offset: number,
  limit: number,
  signal: AbortSignal,
) => Promise<TablePageAnswer<Row>>;

export interface TablePages<Row> {
  total: number | null;
  error: unknown;
  rowAt: (index: number) => Row | undefined;
  /** Asks for the rows first..last (inclusive) to be loaded. */
  want: (first: number, last: number) => void;
  /** Bumps whenever a page arrives, so that the grid re-renders. */
  version: number;
}

export function useTablePages<Row>(queryKey: string, load: LoadPage<Row> | null): TablePages<Row> {
  const pages = useRef(new Map<number, Row[]>());
  const pending = useRef(new Map<number, AbortController>());
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    pages.current = new Map();
    for (const controller of pending.current.values()) controller.abort();
    pending.current = new Map();
    setTotal(null);
    setError(null);
    setVersion((v) => v + 1);
  }, [queryKey]);

  const fetchPage = useCallback((page: number) => {
    const loader = loadRef.current;
    if (loader === null || pages.current.has(page) || pending.current.has(page)) return;
    const controller = new AbortController();
    pending.current.set(page, controller);
    const owner = pages.current;
    loader(page * PAGE_ROWS, PAGE_ROWS, controller.signal).then(
      (answer) => {
        if (controller.signal.aborted || owner !== pages.current) return;
        pending.current.delete(page);
        owner.set(page, answer.rows);
        while (owner.size > MAX_PAGES) owner.delete(owner.keys().next().value as number);
        setTotal(answer.total);
        setVersion((v) => v + 1);
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        pending.current.delete(page);
        setError(cause);
      },
    );
  }, []);

  useEffect(() => {
    if (load !== null) fetchPage(0);
  }, [queryKey, load, fetchPage]);

  const want = useCallback(
    (first: number, last: number) => {
      for (let p = Math.floor(first / PAGE_ROWS); p <= Math.floor(last / PAGE_ROWS); p++) fetchPage(p);
    },
    [fetchPage],
  );
  const rowAt = useCallback(
    (index: number) => pages.current.get(Math.floor(index / PAGE_ROWS))?.[index % PAGE_ROWS],
    [],
  );
  return { total, error, rowAt, want, version };
}
