/** The record log: round trip, large records, torn tails, corrupt regions, foreign files. */
import { appendFileSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CorruptDataError, type RunRecord } from "@stepwise/protocol";
import { RunLogReader } from "../src/runlog/run-log-reader.js";
import { RunLogWriter } from "../src/runlog/run-log-writer.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

function readAll(file: string): { records: RunRecord[]; reader: RunLogReader } {
  const reader = new RunLogReader(file, { chunkBytes: 4096 });
  return { records: [...reader.records()].map((e) => e.record), reader };
}

function writeRows(file: string, count: number, ringBytes = 64 * 1024): void {
  const writer = RunLogWriter.create(file, { ringBytes });
  for (let i = 0; i < count; i++)
    writer.appendHistoryRow({ i, half: i / 2, label: `row ${i}`, nan: Number.NaN });
  expect(writer.closeSync()).toBe("complete");
}

describe("run log", () => {
  it("round-trips every record through a small ring, in order, binary rows included", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeRows(file, 20_000);
    const { records, reader } = readAll(file);
    expect(reader.issues).toEqual([]);
    expect(records).toHaveLength(20_000);
    expect(records[12_345]).toEqual({
      t: "history",
      row: { i: 12_345, half: 6172.5, label: "row 12345", nan: Number.NaN },
    });
    expect(records.every((r, i) => r.t === "history" && r.row["i"] === i)).toBe(true);
  });

  it("carries records larger than the ring in pieces", () => {
    const file = join(tempDir(), "run-x.swlog");
    const writer = RunLogWriter.create(file, { ringBytes: 16 * 1024 });
    const big = "x".repeat(200_000);
    writer.append({ t: "config", update: { big } });
    writer.appendHistoryRow({ text: big, n: 1 });
    writer.append({ t: "exit", exitCode: 0, runtime: 1, time: 2 });
    expect(writer.closeSync()).toBe("complete");
    const { records } = readAll(file);
    expect(records).toEqual([
      { t: "config", update: { big } },
      { t: "history", row: { text: big, n: 1 } },
      { t: "exit", exitCode: 0, runtime: 1, time: 2 },
    ]);
  });

  it("recovers everything before a torn tail and reports it as torn, not corrupt", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeRows(file, 1000);
    // The log ends with the writer's last key table: cut into the last row before it.
    const lastRow = [...new RunLogReader(file).records()].at(-1);
    truncateSync(file, (lastRow?.end ?? 0) - 10);
    const { records, reader } = readAll(file);
    expect(records).toHaveLength(999);
    expect(reader.issues.map((i) => i.kind)).toEqual(["torn-tail"]);
  });

  it("skips a damaged region in the middle and keeps the records after it", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeRows(file, 1000);
    const bytes = readFileSync(file);
    bytes.fill(0x58, 20_000, 20_040);
    writeFileSync(file, bytes);
    const { records, reader } = readAll(file);
    expect(reader.issues.map((i) => i.kind)).toEqual(["corrupt"]);
    expect(records.length).toBeGreaterThanOrEqual(997);
    expect(records.length).toBeLessThan(1000);
    expect(records.at(-1)).toMatchObject({ row: { i: 999 } });
  });

  it("resynchronises in linear time when damaged bytes are full of frame markers with bogus lengths", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeRows(file, 2000);
    const bytes = readFileSync(file);
    const garbage = Buffer.alloc(1024 * 1024);
    for (let at = 0; at < garbage.length; at += 16) {
      garbage.writeUInt32LE(0x31525753, at); // the frame marker "SWR1"
      garbage.writeUInt32LE(7, at + 4);
      garbage.writeUInt32LE(1 << 20, at + 8); // claims a 1 MiB payload: a CRC over it per marker would take minutes
    }
    writeFileSync(file, Buffer.concat([bytes.subarray(0, 50_000), garbage, bytes.subarray(50_000)]));
    const { records, reader } = readAll(file);
    expect(reader.issues.map((i) => i.kind)).toEqual(["corrupt"]);
    expect(records.length).toBeGreaterThanOrEqual(1999);
    expect(records.at(-1)).toMatchObject({ row: { i: 1999 } });
  });

  it("treats zero-filled garbage at the end as a torn tail", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeRows(file, 10);
    appendFileSync(file, Buffer.alloc(5000));
    const { records, reader } = readAll(file);
    expect(records).toHaveLength(10);
    expect(reader.issues.map((i) => i.kind)).toEqual(["torn-tail"]);
  });

  it("resumes from an offset returned by an earlier read", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeRows(file, 100);
    const entries = [...new RunLogReader(file).records()];
    const from = entries[49]?.end ?? 0;
    const rest = [...new RunLogReader(file, { fromOffset: from }).records()];
    expect(rest.map((e) => e.record)).toEqual(entries.slice(50).map((e) => e.record));
  });

  it("refuses a file that is not a run log", () => {
    const file = join(tempDir(), "notes.swlog");
    writeFileSync(file, "hello, this is not a log at all");
    expect(() => new RunLogReader(file)).toThrow(CorruptDataError);
  });

  it("never overwrites an existing log", () => {
    const file = join(tempDir(), "run-x.swlog");
    writeRows(file, 1);
    expect(() => RunLogWriter.create(file)).toThrow(/EEXIST/);
  });
});
