/**
 * The charted runs with the config and summary values their panels read, which the workspace's
 * runs listing leaves out (it lists only what the table shows: lib/run-list-select.ts): the
 * summary's typed values (images, histograms, tables, …: every key the server's key kinds say
 * held something other than a number, string or boolean) and the config's `_wandb` (custom
 * charts). Asked of the server in two small requests (the key kinds, then those paths of the
 * charted runs), and only when a run holds such a key: a run of 100,000 numeric keys costs one
 * short key-kinds answer. The line charts never wait on this; a media or structured panel shows
 * once it is in. Asked again when a charted run logs more (its history offset moves).
 */
import { useEffect, useMemo, useState } from "react";
import { RUN_LIST_MAX_SELECT, type RunDto } from "@stepwise/protocol";
import { listRuns } from "../../api/client.js";
import { listKeyKinds } from "../../api/structured-client.js";
import { mergeValues } from "../../lib/run-list-select.js";
import type { ChartRun } from "../charts/chart-run.js";

/** Kinds a line chart or a text value covers; any other kind is a typed value a panel reads. */
const PLAIN_KINDS = new Set(["number", "string", "boolean", "array"]);

interface Values {
  byRun: ReadonlyMap<string, Pick<RunDto, "config" | "summary">>;
  /** The typed keys, as a version of what the panels are given. */
  keys: string;
}

const NONE: Values = { byRun: new Map(), keys: "" };

export function useChartRunValues(entity: string, project: string, runs: ChartRun[]): ChartRun[] {
  const ids = runs.map(({ run }) => run.id);
  const version = runs.map(({ run }) => `${run.id}:${run.offsets.history}:${run.state}`).join(",");
  const [values, setValues] = useState<Values>(NONE);

  useEffect(() => {
    if (ids.length === 0) return;
    const controller = new AbortController();
    const { signal } = controller;
    const load = async (): Promise<void> => {
      const kinds = await listKeyKinds(entity, project, ids, signal);
      const keys = kinds
        .filter((entry) => entry.kinds.some((k) => !PLAIN_KINDS.has(k.kind)))
        .map((entry) => entry.key)
        .sort()
        .slice(0, RUN_LIST_MAX_SELECT - 1);
      if (keys.length === 0) {
        if (!signal.aborted) setValues(NONE);
        return;
      }
      const page = await listRuns(
        entity,
        project,
        {
          filters: [{ field: "id", op: "in", value: ids }],
          limit: Math.max(1, ids.length),
          select: { summary: keys, config: ["_wandb"] },
        },
        signal,
      );
      if (signal.aborted) return;
      const byRun = new Map(page.runs.map((run) => [run.id, { config: run.config, summary: run.summary }]));
      setValues({ byRun, keys: keys.join("\u0001") });
    };
    // A failed request leaves the panels that need these values out, as before they were listed.
    void load().catch(() => undefined);
    return () => controller.abort();
    // `version` stands for the runs (ids, offsets, states).
  }, [entity, project, version]);

  return useMemo(() => {
    if (values.byRun.size === 0) return runs;
    return runs.map((chartRun) => {
      const more = values.byRun.get(chartRun.run.id);
      if (more === undefined) return chartRun;
      const run = {
        ...chartRun.run,
        config: mergeValues(more.config, chartRun.run.config),
        summary: mergeValues(more.summary, chartRun.run.summary),
      };
      return { ...chartRun, run, values: values.keys };
    });
  }, [runs, values]);
}
