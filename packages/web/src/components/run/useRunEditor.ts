/**
 * Saves edits of a run's name, notes and tags through `PATCH`, optimistically: the page shows
 * the new value at once, takes the server's run when it answers, and puts the old value back
 * (returning why) when it refuses. When edits overlap, only the latest one's answer is applied.
 */
import { useCallback, useRef } from "react";
import type { RunDto, RunRef } from "@stepwise/protocol";
import { ApiError, updateRun } from "../../api/client.js";
import type { RunResource } from "./useRun.js";

export type EditableFields = Partial<Pick<RunDto, "name" | "notes" | "tags">>;

/** Saves `patch`; resolves to null when saved, or to the reason it was not. */
export type SaveRun = (patch: EditableFields) => Promise<string | null>;

export function useRunEditor(ref: RunRef, resource: RunResource): SaveRun {
  const { run, setLocal, whileSaving } = resource;
  const latest = useRef(0);
  const current = useRef(run);
  current.current = run;
  const { entity, project, runId } = ref;

  return useCallback(
    async (patch) => {
      const before = current.current;
      if (before === null) return "The run has not loaded yet.";
      const previous: EditableFields = {};
      if (patch.name !== undefined) previous.name = before.name;
      if (patch.notes !== undefined) previous.notes = before.notes;
      if (patch.tags !== undefined) previous.tags = before.tags;
      const seq = ++latest.current;
      setLocal((r) => ({ ...r, ...patch }));
      try {
        const saved = await whileSaving(() => updateRun({ entity, project, runId }, patch));
        if (seq === latest.current) setLocal(() => saved);
        return null;
      } catch (cause) {
        if (seq === latest.current) setLocal((r) => ({ ...r, ...previous }));
        return describeFailure(cause);
      }
    },
    [entity, project, runId, setLocal, whileSaving],
  );
}

function describeFailure(cause: unknown): string {
  if (cause instanceof ApiError) {
    if (cause.status === 401 || cause.status === 403) return `Not allowed: ${cause.message}`;
    return `Not saved: ${cause.message}`;
  }
  return `Not saved: ${cause instanceof Error ? cause.message : String(cause)}`;
}
