/**
 * A combined export: the runs' part files (one per run, written as for a per-run export) joined
 * into one file with the run id in a first `_run` column, in the order the runs were listed.
 * Lines and fields are copied as text (JSON lines: `{"_run":"id",` + the rest of the line; CSV:
 * the fields moved to the union of the runs' columns), nothing is parsed as numbers.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { quoteCsvText } from "@stepwise/protocol";
import type { ExportedRun } from "./export-runs.js";
import { splitFields, splitRecords, unquoteField } from "./csv-records.js";
import { runFileName } from "./file-names.js";
import { writeAtomically } from "./write-atomically.js";

export type CombineFormat = "jsonl" | "csv";

export function combinedFileName(projectName: string, format: CombineFormat): string {
  return runFileName(projectName, format);
}

interface Part {
  runId: string;
  path: string;
}

export async function combineParts(
  out: string,
  partsFolder: string,
  name: string,
  format: CombineFormat,
  runs: readonly ExportedRun[],
): Promise<void> {
  const parts = runs.map((run) => ({
    runId: run.path.slice(run.path.lastIndexOf("/") + 1),
    path: join(partsFolder, run.file),
  }));
  const chunks = format === "jsonl" ? jsonlChunks(parts) : csvChunks(parts, await unionColumns(parts));
  await writeAtomically(out, name, encode(chunks));
}

async function* encode(chunks: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of chunks) if (chunk !== "") yield encoder.encode(chunk);
}

/** Text of a file in chunks of about 1 MiB. */
async function* textOf(path: string): AsyncGenerator<string> {
  yield* createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
}

async function* jsonlChunks(parts: readonly Part[]): AsyncGenerator<string> {
  for (const part of parts) {
    const head = `{"_run":${JSON.stringify(part.runId)}`;
    let rest = "";
    for await (const text of textOf(part.path)) {
      const lines = (rest + text).split("\n");
      rest = lines.pop() ?? "";
      yield lines.map((line) => withRun(head, line)).join("");
    }
    if (rest.trim() !== "") yield withRun(head, rest);
  }
}

function withRun(head: string, line: string): string {
  if (line.trim() === "") return "";
  return line.startsWith("{}") ? `${head}}\n` : `${head},${line.slice(1)}\n`;
}

/** `_run`, `_step`, the runs' columns in first-seen order, then `_runtime`, `_timestamp`. */
async function unionColumns(parts: readonly Part[]): Promise<string[]> {
  const seen = new Set<string>();
  for (const part of parts) for (const name of await headerOf(part.path)) seen.add(name);
  const trailing = ["_runtime", "_timestamp"].filter((name) => seen.has(name));
  const user = [...seen].filter((name) => name !== "_step" && !trailing.includes(name));
  return ["_run", "_step", ...user, ...trailing];
}

async function headerOf(path: string): Promise<string[]> {
  // Headers are short; the first MiB holds one unless a key name is absurdly long.
  for await (const text of textOf(path)) {
    const { records } = splitRecords(text);
    const first = records[0];
    if (first !== undefined) return splitFields(first).map(unquoteField);
  }
  const whole = await readFile(path, "utf8");
  return whole.trim() === "" ? [] : splitFields(whole.trimEnd()).map(unquoteField);
}

async function* csvChunks(parts: readonly Part[], columns: readonly string[]): AsyncGenerator<string> {
  yield columns.map(quoteCsvText).join(",") + "\n";
  for (const part of parts) {
    const runField = quoteCsvText(part.runId);
    let header: string[] | null = null;
    let move: ((fields: string[]) => string) | null = null;
    let rest = "";
    for await (const text of textOf(part.path)) {
      const { records, rest: unfinished } = splitRecords(rest + text);
      rest = unfinished;
      let chunk = "";
      for (const record of records) {
        if (header === null) {
          header = splitFields(record).map(unquoteField);
          move = mover(header, columns);
          continue;
        }
        chunk += move === null ? `${runField},${record}\n` : `${runField},${move(splitFields(record))}\n`;
      }
      yield chunk;
    }
  }
}

/** Null when the run's columns are the union's (after `_run`): its records are copied whole. */
function mover(header: readonly string[], columns: readonly string[]): ((fields: string[]) => string) | null {
  const target = columns.slice(1);
  if (header.length === target.length && header.every((name, i) => name === target[i])) return null;
  const from = target.map((name) => header.indexOf(name));
  return (fields) => from.map((at) => (at === -1 ? "" : (fields[at] ?? ""))).join(",");
}
