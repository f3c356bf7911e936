/**
 * A run's surroundings, stored as their own streams (not history): `GET …/system`, the system
 * metrics samples (the `events` stream) with their keys, averaged into at most `samples`
 * buckets for long runs; `GET …/console`, console lines from an offset (a tail cursor: pass the
 * answer's `next`), filtered by stream and search text, or the last `limit` with `tail=true`;
 * `GET …/output.log`, the whole console as a text download.
 */
import {
  consoleQuerySchema,
  downsampleSamples,
  parseExtended,
  systemQuerySchema,
  type ConsoleLinesResponse,
  type RunRef,
  type SystemMetricsResponse,
} from "@stepwise/protocol";
import type { Context } from "hono";
import { Hono } from "hono";
import { assertRunAccess } from "../../auth/principal.js";
import { matchConsoleLines, outputLogText, type IndexedConsoleLine } from "../../domain/console-filter.js";
import type { AppDeps, AppEnv } from "../app-env.js";
import { parseInput } from "../input-error.js";
import { plainJson } from "../json-response.js";
import { runRefParam } from "../path-params.js";
import { unknownRun } from "../unknown-run.js";

/** Lines read from the store at a time while searching. */
const READ_PAGE = 10_000;

export function surroundingsRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const knownRun = async (
    c: Context<AppEnv>,
  ): Promise<{ ref: RunRef; counts: { events: number; console: number } }> => {
    const ref = runRefParam(c);
    assertRunAccess(c.get("principal"), ref);
    // The counts only: getRun would parse a config and summary that may hold 100,000 keys.
    const counts = await deps.store.streamCounts(ref);
    if (counts === null) throw unknownRun(ref);
    return { ref, counts };
  };

  app.get("/runs/:entity/:project/:runId/system", async (c) => {
    const { ref, counts } = await knownRun(c);
    const query = parseInput(systemQuerySchema, c.req.query(), "query");
    const samples: Array<Record<string, number>> = [];
    const keys = new Set<string>();
    for (let offset = 0; offset < counts.events; offset += READ_PAGE) {
      const lines = await deps.store.readStream(ref, "events", offset, READ_PAGE);
      if (lines.length === 0) break;
      for (const line of lines) {
        const sample = numbersOf(parseExtended(line));
        for (const key of Object.keys(sample)) if (!key.startsWith("_")) keys.add(key);
        samples.push(sample);
      }
    }
    samples.sort((a, b) => (a["_timestamp"] ?? 0) - (b["_timestamp"] ?? 0));
    const body: SystemMetricsResponse = {
      keys: [...keys].sort(),
      samples: downsampleSamples(samples, query.samples),
      total: samples.length,
    };
    return plainJson(body);
  });

  app.get("/runs/:entity/:project/:runId/console", async (c) => {
    const { ref, counts } = await knownRun(c);
    const query = parseInput(consoleQuerySchema, c.req.query(), "query");
    const filter = { search: query.search, stream: query.stream };
    const total = counts.console;
    let found: IndexedConsoleLine[] = [];
    let next = query.offset;
    if (query.tail === "true") {
      // The last `limit` matching lines: read backwards a page at a time.
      for (let end = total; end > query.offset && found.length < query.limit; end -= READ_PAGE) {
        const from = Math.max(query.offset, end - READ_PAGE);
        const lines = await deps.store.readStream(ref, "console", from, end - from);
        found = [...matchConsoleLines(lines, from, filter), ...found];
      }
      found = found.slice(-query.limit);
      next = total;
    } else {
      while (next < total && found.length < query.limit) {
        const lines = await deps.store.readStream(ref, "console", next, Math.min(READ_PAGE, total - next));
        if (lines.length === 0) break;
        const matched = matchConsoleLines(lines, next, filter);
        const room = query.limit - found.length;
        if (matched.length > room) {
          found.push(...matched.slice(0, room));
          next = (found[found.length - 1] as IndexedConsoleLine).index + 1;
          break;
        }
        found.push(...matched);
        next += lines.length;
      }
    }
    const body: ConsoleLinesResponse = { lines: found, next, total };
    return plainJson(body);
  });

  app.get("/runs/:entity/:project/:runId/output.log", async (c) => {
    const { ref, counts } = await knownRun(c);
    let text = "";
    for (let offset = 0; offset < counts.console; offset += READ_PAGE)
      text += outputLogText(await deps.store.readStream(ref, "console", offset, READ_PAGE));
    return new Response(text, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": 'attachment; filename="output.log"',
        "cache-control": "private, no-cache",
      },
    });
  });

  return app;
}

function numbersOf(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value !== "object" || value === null) return out;
  for (const [key, v] of Object.entries(value)) if (typeof v === "number" && Number.isFinite(v)) out[key] = v;
  return out;
}
