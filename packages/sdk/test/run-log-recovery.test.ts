/**
 * Recovery from damage that costs at most the damaged frame: key definitions come back from the
 * writer's key tables, a damaged header is skipped, format-1 logs stay readable, and the reader
 * counts exactly how many rows damage cost.
 */
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunLogReader } from "../src/runlog/run-log-reader.js";
import { RunLogWriter } from "../src/runlog/run-log-writer.js";
import { flipBit, listFrames } from "./support/log-frames.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

function logged(i: number): Record<string, unknown> {
  return { _step: i, loss: 1 / (i + 1), label: `row ${i}`, ...(i >= 500 ? { late: i } : {}) };
}

function writeLog(file: string, rows: number, close = true): RunLogWriter {
  const writer = RunLogWriter.create(file, { ringBytes: 64 * 1024 });
  writer.append({ t: "config", update: { lr: 0.1 } });
  for (let i = 0; i < rows; i++) writer.appendHistoryRow(logged(i));
  if (close) {
    writer.append({ t: "exit", exitCode: 0, runtime: 1, time: 2 });
    expect(writer.closeSync()).toBe("complete");
  }
  return writer;
}

function readRows(file: string): { rows: unknown[]; reader: RunLogReader } {
  const reader = new RunLogReader(file);
  const rows = [...reader.records()].flatMap((e) => (e.record.t === "history" ? [e.record.row] : []));
  return { rows, reader };
}

describe("run log recovery", () => {
  it("reads a format-1 log written before key tables existed", () => {
    const file = join(tempDir(), "run-v1.swlog");
    copyFileSync(new URL("./fixtures/logs/format-v1.swlog", import.meta.url), file);
    const reader = new RunLogReader(file);
    const records = [...reader.records()].map((e) => e.record);
    expect(reader.issues).toEqual([]);
    expect(records[0]).toEqual({ t: "config", update: { lr: 0.1 } });
    expect(records.slice(1, 51)).toEqual(
      Array.from({ length: 50 }, (_, i) => ({
        t: "history",
        row: { _step: i, loss: 1 / (i + 1), label: `r${i}`, nested: { a: i } },
      })),
    );
    expect(records[51]).toEqual({ t: "exit", exitCode: 0, runtime: 1.5, time: 1700000000 });
    expect(reader.rows).toEqual({ readable: 50, unreadable: 0, exact: true });
  });

  it("keeps every row when one bit of a key definition is damaged (the key comes from a key table)", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeLog(file, 1000);
    const lateKey = listFrames(file).filter((f) => f.kind === "key")[3];
    expect(lateKey).toBeDefined();
    writeFileSync(file, flipBit(file, (lateKey?.offset ?? 0) + 16, 2));
    const { rows, reader } = readRows(file);
    expect(rows).toEqual(Array.from({ length: 1000 }, (_, i) => logged(i)));
    expect(reader.issues.map((i) => i.kind)).toEqual(["corrupt"]);
    expect(reader.rows).toEqual({ readable: 1000, unreadable: 0, exact: true });
  });

  it("loses only the rows whose key no intact frame defines, and counts them", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeLog(file, 1000);
    const frames = listFrames(file);
    // A killed run: no key table after the key `late` was defined, and its definition damaged.
    const table = frames.findLast((f) => f.kind === "key-table");
    truncateSync(file, table?.offset ?? 0);
    const lateKey = frames.filter((f) => f.kind === "key")[3];
    writeFileSync(file, flipBit(file, (lateKey?.offset ?? 0) + 20));
    const { rows, reader } = readRows(file);
    expect(rows).toEqual(Array.from({ length: 500 }, (_, i) => logged(i)));
    expect(reader.rows).toEqual({ readable: 500, unreadable: 500, exact: true });
  });

  it("skips a damaged file header and reads every record after it", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeLog(file, 100);
    for (const offset of [0, 8, 12]) {
      const copy = join(tempDir(), `run-h${offset}.swlog`);
      writeFileSync(copy, flipBit(file, offset, 3));
      const { rows, reader } = readRows(copy);
      expect(rows).toEqual(Array.from({ length: 100 }, (_, i) => logged(i)));
      expect(reader.issues).toMatchObject([{ kind: "corrupt", offset: 0, bytes: 16 }]);
    }
  });

  it("counts a damaged row exactly, from the writer's key tables", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeLog(file, 1000);
    const rowFrames = listFrames(file).filter((f) => f.kind === "row");
    const victim = rowFrames[321];
    writeFileSync(file, flipBit(file, (victim?.offset ?? 0) + 8, 5)); // the frame's length
    const { rows, reader } = readRows(file);
    expect(rows).toEqual(Array.from({ length: 1000 }, (_, i) => logged(i)).filter((_, i) => i !== 321));
    expect(reader.rows).toEqual({ readable: 999, unreadable: 1, exact: true });
  });

  it("repeats the key table while the log grows, and once more just before the exit record", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeLog(file, 60_000);
    const frames = listFrames(file);
    const tables = frames.filter((f) => f.kind === "key-table");
    expect(tables.length).toBeGreaterThanOrEqual(3);
    expect(frames.at(-1)?.t).toBe("exit");
    expect(frames.at(-2)?.kind).toBe("key-table");
    const bytes = readFileSync(file);
    const last = tables.at(-1);
    expect(bytes.readUInt32LE((last?.offset ?? 0) + 13)).toBe(60_000);
  });
});
