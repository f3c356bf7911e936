/**
 * A run's console lines for the Logs tab: the last lines that match the search and stream
 * filter (GET …/console?tail=true), then, while the run runs, every 2 s what came since (a tail
 * cursor: the answer's `next`). Each poll reads again from the last line, whose last state may
 * have changed (a `\r` progress bar being drawn). At most MAX_LINES are kept, the newest.
 */
import { useEffect, useState } from "react";
import {
  consoleLinesResponseSchema,
  consolePaths,
  type ConsoleStream,
  type RunRef,
} from "@stepwise/protocol";
import { request } from "../../api/client.js";

export const MAX_LINES = 5000;
const POLL_MS = 2000;

export interface LogLine {
  index: number;
  time: number;
  stream: ConsoleStream;
  text: string;
}

export interface ConsoleLinesState {
  lines: LogLine[];
  total: number;
  loading: boolean;
  error: unknown;
}

export function useConsoleLines(
  ref: RunRef,
  filter: { search: string; stream: ConsoleStream | "all" },
  live: boolean,
): ConsoleLinesState {
  const [state, setState] = useState<ConsoleLinesState>({ lines: [], total: 0, loading: true, error: null });
  const { entity, project, runId } = ref;
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let next = 0;
    let lines: LogLine[] = [];
    const query = (params: Record<string, string>): string => {
      const search = new URLSearchParams(params);
      if (filter.search !== "") search.set("search", filter.search);
      if (filter.stream !== "all") search.set("stream", filter.stream);
      return `${consolePaths.lines({ entity, project, runId })}?${search.toString()}`;
    };
    const poll = async (first: boolean): Promise<void> => {
      try {
        const path = first
          ? query({ tail: "true", limit: String(MAX_LINES) })
          : query({ offset: String(Math.max(0, next - 1)), limit: String(MAX_LINES) });
        const answer = await request(consoleLinesResponseSchema, path, {}, controller.signal);
        lines = first ? answer.lines : merge(lines, answer.lines);
        next = answer.next;
        setState({ lines, total: answer.total, loading: false, error: null });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((old) => ({ ...old, loading: false, error }));
      }
      if (live && !controller.signal.aborted) timer = setTimeout(() => void poll(false), POLL_MS);
    };
    setState((old) => ({ ...old, loading: true }));
    void poll(true);
    return () => {
      controller.abort();
      if (timer !== null) clearTimeout(timer);
    };
  }, [entity, project, runId, filter.search, filter.stream, live]);
  return state;
}

/** The lines with the new ones in place (same index: the newer state) or after; the newest MAX_LINES. */
export function merge(old: readonly LogLine[], fresh: readonly LogLine[]): LogLine[] {
  if (fresh.length === 0) return old as LogLine[];
  const first = (fresh[0] as LogLine).index;
  const kept = old.filter((line) => line.index < first);
  const out = [...kept, ...fresh];
  return out.length > MAX_LINES ? out.slice(out.length - MAX_LINES) : out;
}
