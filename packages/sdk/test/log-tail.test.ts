/**
 * The uploader's tail of a run log still being written (upload/log-tail.ts): it returns each
 * record once, in order, as the file grows; a frame cut short at the end is waited for, not
 * reported; a write the writer cut and wrote again is read as written the second time; damage
 * in the middle is skipped and reported once. Records are compared with what was logged.
 */
import { appendFileSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crc32 } from "node:zlib";
import { CorruptDataError } from "@stepwise/protocol";
import { RunLogWriter } from "../src/runlog/run-log-writer.js";
import { LogTail, type TailEntry } from "../src/upload/log-tail.js";
import { flipBit, listFrames } from "./support/log-frames.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();

function logged(i: number): Record<string, unknown> {
  return { _step: i, loss: 1 / (i + 1), label: `row ${i}` };
}

/** A finished log of `rows` rows, as bytes. */
function finishedLog(rows: number): Buffer {
  const file = join(tempDir(), "source.swlog");
  const writer = RunLogWriter.create(file, { ringBytes: 64 * 1024 });
  for (let i = 0; i < rows; i++) writer.appendHistoryRow(logged(i));
  writer.append({ t: "exit", exitCode: 0, runtime: 1, time: 2 });
  expect(writer.closeSync()).toBe("complete");
  return readFileSync(file);
}

function drain(tail: LogTail): TailEntry[] {
  const entries: TailEntry[] = [];
  for (let entry = tail.next(); entry !== null; entry = tail.next()) entries.push(entry);
  return entries;
}

const steps = (entries: TailEntry[]): number[] =>
  entries.flatMap((e) => (e.record.t === "history" ? [e.record.row["_step"] as number] : []));

describe("LogTail", () => {
  it("follows a growing log cut anywhere: every record once, in order, nothing reported", () => {
    const bytes = finishedLog(300);
    const file = join(tempDir(), "live.swlog");
    writeFileSync(file, bytes.subarray(0, 10));
    const issues: string[] = [];
    const tail = new LogTail(file, (message) => issues.push(message));
    const entries: TailEntry[] = [];
    // Grows in uneven pieces that cut headers and payloads alike.
    for (let at = 10; at < bytes.length; at += 97) {
      entries.push(...drain(tail));
      appendFileSync(file, bytes.subarray(at, Math.min(bytes.length, at + 97)));
    }
    entries.push(...drain(tail));
    tail.close();
    expect(issues).toEqual([]);
    expect(steps(entries)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    for (const entry of entries)
      if (entry.record.t === "history")
        expect(entry.record.row).toEqual(logged(entry.record.row["_step"] as number));
    expect(entries.at(-1)?.record.t).toBe("exit");
    expect(entries.at(-1)?.end).toBe(bytes.length);
  });

  it("reads a write that was cut short, cut off and written again as it was written the second time", () => {
    const bytes = finishedLog(50);
    const frames = listFrames(joinWrite(bytes));
    const row = frames.filter((f) => f.kind === "row")[20];
    if (row === undefined) throw new Error("no row frame");
    const file = join(tempDir(), "live.swlog");
    // The first try stored half of the frame and garbage after it (a failing disk)…
    writeFileSync(
      file,
      Buffer.concat([bytes.subarray(0, row.offset + row.bytes / 2), Buffer.alloc(3, 0xee)]),
    );
    const issues: string[] = [];
    const tail = new LogTail(file, (message) => issues.push(message));
    expect(steps(drain(tail))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // …the writer cut it off and wrote the rest again.
    truncateSync(file, row.offset);
    appendFileSync(file, bytes.subarray(row.offset));
    expect(steps(drain(tail))).toEqual(Array.from({ length: 30 }, (_, i) => 20 + i));
    tail.close();
    expect(issues).toEqual([]);
  });

  it("skips a damaged frame in the middle, reports it once, and reads every other record", () => {
    const bytes = finishedLog(200);
    const file = joinWrite(bytes);
    const victim = listFrames(file).filter((f) => f.kind === "row")[100];
    if (victim === undefined) throw new Error("no row frame");
    writeFileSync(file, flipBit(file, victim.offset + 14, 1));
    const issues: string[] = [];
    const tail = new LogTail(file, (message) => issues.push(message));
    const entries = drain(tail);
    tail.close();
    expect(steps(entries)).toEqual(Array.from({ length: 200 }, (_, i) => i).filter((i) => i !== 100));
    expect(issues).toEqual([`${file}: ${victim.bytes} damaged bytes skipped at byte ${victim.offset}`]);
  });

  it("checks the file header: a damaged one is reported and the frames after it read, a newer format refused", () => {
    const bytes = finishedLog(10);
    const damaged = joinWrite(bytes);
    writeFileSync(damaged, flipBit(damaged, 9, 0));
    const issues: string[] = [];
    const tail = new LogTail(damaged, (message) => issues.push(message));
    expect(steps(drain(tail))).toHaveLength(10);
    tail.close();
    expect(issues).toEqual([`${damaged}: damaged file header skipped`]);

    const newer = Buffer.from(bytes);
    newer.writeUInt16LE(99, 8);
    newer.writeUInt32LE(crc32(newer.subarray(0, 12)) >>> 0, 12);
    const file = joinWrite(newer);
    expect(() => new LogTail(file, () => undefined)).toThrow(CorruptDataError);
  });
});

function joinWrite(bytes: Buffer): string {
  const file = join(tempDir(), `copy-${Math.random().toString(36).slice(2)}.swlog`);
  writeFileSync(file, bytes);
  return file;
}
