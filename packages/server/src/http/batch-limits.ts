/**
 * The limits table (protocol limits.ts) applied to an ingest batch after its shape is checked:
 * keys at every level, nesting per value, names and notes in meta records. The JSON and the
 * packed body both come here, so a record is refused (400, naming the row and key) the same way
 * whichever way it travelled, and the store is only handed values it can keep and serve.
 */
import {
  alertProblem,
  keyProblem,
  LIMITS,
  nameProblem,
  notesProblem,
  valuesProblem,
  type IngestBatch,
  type MetaRecord,
} from "@stepwise/protocol";
import { InputError } from "./input-error.js";

/** `where` is the batch's place in the body: `body` (JSON) or `body.header.batch` (packed). */
export function checkBatchLimits(batch: Omit<IngestBatch, "history">, where: string): void {
  if (batch.run?.config !== undefined) checkValues(batch.run.config, `${where}.run.config`);
  if (batch.summary !== undefined) checkValues(batch.summary, `${where}.summary`);
  batch.events?.lines.forEach((line, i) => checkValues(line, `${where}.events.lines[${i}]`));
  batch.meta?.records.forEach((record, i) => checkMetaRecord(record, `${where}.meta.records[${i}]`));
}

/** History rows given as objects (JSON body): `rows[i]` is named `${where}[i]`. */
export function checkHistoryRows(rows: ReadonlyArray<Record<string, unknown>>, where: string): void {
  rows.forEach((row, i) => checkValues(row, `${where}[${i}]`));
}

/** A record of values (row, config, summary): the first bad key or over-deep value, named. */
export function checkValues(values: Record<string, unknown>, where: string): void {
  const problem = valuesProblem(values);
  if (problem !== null)
    throw new InputError([{ field: `${where}.${shortKey(problem.key)}`, message: problem.message }]);
}

function checkMetaRecord(record: MetaRecord, where: string): void {
  switch (record.t) {
    case "config":
      checkValues(record.update, `${where}.update`);
      return;
    case "summary":
      record.ops.forEach((op, i) => {
        const at = `${where}.ops[${i}]`;
        if (op.path.length > LIMITS.valueDepth)
          fail(`${at}.path`, `has ${op.path.length} segments; at most ${LIMITS.valueDepth}`);
        for (const segment of op.path) {
          const issue = keyProblem(segment);
          if (issue !== null) fail(`${at}.path`, `holds a key that ${issue}`);
        }
        if (op.op === "set")
          checkValues({ [op.path[op.path.length - 1] as string]: op.value }, `${at}.value`);
      });
      return;
    case "metric":
      for (const segment of record.path ?? []) {
        const issue = keyProblem(segment);
        if (issue !== null) fail(`${where}.path`, `holds a key that ${issue}`);
      }
      return;
    case "run-update": {
      if (record.name !== undefined) failIf(`${where}.name`, nameProblem("name", record.name));
      if (record.notes !== undefined) failIf(`${where}.notes`, notesProblem(record.notes));
      if (record.tags !== undefined) {
        if (record.tags.length > LIMITS.tags)
          fail(`${where}.tags`, `holds ${record.tags.length} tags; at most ${LIMITS.tags}`);
        record.tags.forEach((tag, i) => failIf(`${where}.tags[${i}]`, nameProblem("tag", tag)));
      }
      return;
    }
    case "alert":
      failIf(where, alertProblem(record.title, record.text, record.level));
      return;
  }
}

function failIf(field: string, problem: string | null): void {
  if (problem !== null) fail(field, problem);
}

function fail(field: string, message: string): never {
  throw new InputError([{ field, message }]);
}

/** Keys may be anything a user logged; cut them so that a huge key cannot bloat the reply. */
export function shortKey(key: string): string {
  return key.length > 64 ? `${key.slice(0, 64)}…` : key;
}
