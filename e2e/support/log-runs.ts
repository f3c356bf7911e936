/**
 * Logs runs with the real SDK (`stepwise`, online mode) to an e2e server, one after the other
 * (the SDK keeps one active run per process), and returns once the server has every record
 * (`finish()` waits for the exit record's acknowledgement).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init, type DefineMetricOptions, type Run } from "@stepwise/sdk";
import type { E2eServer } from "./e2e-server.js";

export interface RunSpec {
  project: string;
  name: string;
  /** The run id; default a random one from the SDK. */
  id?: string;
  config?: Record<string, unknown>;
  tags?: string[];
  group?: string;
  notes?: string;
  metrics?: Record<string, DefineMetricOptions>;
  /** Logs the run's history (one `log()` per step, or however it likes). */
  logSteps(run: Run): void;
}

export interface LoggedRun {
  id: string;
  name: string;
  project: string;
  entity: string;
}

export async function logRuns(server: E2eServer, specs: readonly RunSpec[]): Promise<LoggedRun[]> {
  const dir = await mkdtemp(join(tmpdir(), "stepwise-e2e-sdk-"));
  try {
    const logged: LoggedRun[] = [];
    for (const spec of specs) {
      const run = await init({
        project: spec.project,
        name: spec.name,
        ...(spec.id === undefined ? {} : { id: spec.id }),
        config: spec.config ?? {},
        tags: spec.tags ?? [],
        group: spec.group ?? "",
        notes: spec.notes ?? "",
        dir,
        baseUrl: server.url,
        apiKey: server.adminKey,
        settings: { silent: true },
      });
      for (const [name, options] of Object.entries(spec.metrics ?? {})) run.defineMetric(name, options);
      spec.logSteps(run);
      await run.finish();
      logged.push({ id: run.id, name: run.name, project: run.project, entity: run.entity });
    }
    return logged;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
