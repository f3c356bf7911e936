/**
 * Console capture in this process: what is written to the real process.stdout/stderr becomes
 * console records (the records a run log gets), the program's own output still goes out, a `\r`
 * line is shown while drawn and then replaced by its last state, output over the pending buffer
 * is dropped and counted, output over the run's bound is noted, and stop() unhooks.
 */
/* eslint-disable @typescript-eslint/unbound-method -- write is compared before and after, never called unbound */
import { describe, expect, it } from "vitest";
import { parseConsoleLine, type ConsoleRecord } from "@stepwise/protocol";
import { ConsoleCapture } from "../src/console/capture/console-capture.js";
import { LineAssembler, type AssembledLine } from "../src/console/capture/line-assembler.js";

/** Replays records as the server stores them: by offset, a rewrite replacing the last line. */
function replay(records: readonly ConsoleRecord[]): string[] {
  const lines: string[] = [];
  for (const record of records) {
    record.lines.forEach((line, i) => {
      const text = parseConsoleLine(line).text;
      if (i === 0 && record.rewrite === true) lines[lines.length - 1] = text;
      else lines.push(text);
    });
  }
  return lines;
}

function capture(options: { maxBytes?: number; maxPendingBytes?: number } = {}) {
  const records: ConsoleRecord[] = [];
  const cap = new ConsoleCapture({
    append: (record, json) => {
      expect(JSON.parse(json)).toEqual(record);
      records.push(record);
    },
    flushMs: 10_000,
    ...options,
  });
  return {
    cap,
    records,
    flush: (final = false) => (cap as unknown as { flush(f: boolean): void }).flush(final),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("ConsoleCapture", () => {
  it("records each stream's lines with their stream, keeps the program's own output, and unhooks at stop", () => {
    const writtenBefore = process.stdout.write;
    const { cap, records, flush } = capture();
    cap.start();
    expect(process.stdout.write).not.toBe(writtenBefore);
    process.stdout.write("");
    process.stderr.write("to stderr\n");
    process.stdout.write(Buffer.from("bytes ünï"));
    process.stdout.write(Buffer.from(" code\n"));
    flush();
    cap.stop();
    expect(process.stdout.write).toBe(writtenBefore);
    const parsed = records.flatMap((r) => r.lines.map(parseConsoleLine));
    expect(parsed.map((l) => [l.stream, l.text])).toEqual([
      ["stderr", "to stderr"],
      ["stdout", "bytes ünï code"],
    ]);
    for (const line of parsed) expect(Math.abs(line.time - Date.now())).toBeLessThan(5000);
  });

  it("shows a \\r line while it is drawn and keeps only its last state", async () => {
    const { cap, records, flush } = capture();
    cap.start();
    process.stdout.write("before\n\rprogress 10%");
    flush();
    expect(replay(records)).toEqual(["before", "progress 10%"]);
    process.stdout.write("\rprogress 60%");
    flush();
    expect(records.at(-1)?.rewrite).toBe(true);
    expect(replay(records)).toEqual(["before", "progress 60%"]);
    process.stdout.write("\rprogress 100%\nafter\n");
    await tick();
    flush();
    cap.stop();
    expect(replay(records)).toEqual(["before", "progress 100%", "after"]);
  });

  it("drops what is written faster than the pending buffer holds, and says how much", () => {
    const { cap, records, flush } = capture({ maxPendingBytes: 1000 });
    cap.start();
    for (let i = 0; i < 30; i++) process.stdout.write(`${"z".repeat(99)}\n`);
    flush();
    cap.stop();
    const lines = replay(records);
    expect(lines.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => "z".repeat(99)));
    expect(lines[10]).toBe(
      "[stepwise] 2000 bytes of console output written faster than they could be kept were not stored",
    );
  });

  it("stops at the run's bound with a note, and counts the rest at stop", () => {
    const { cap, records, flush } = capture({ maxBytes: 500 });
    cap.start();
    for (let i = 0; i < 20; i++) process.stdout.write(`line ${i} ${"q".repeat(40)}\n`);
    flush();
    process.stdout.write("x".repeat(1000));
    cap.stop();
    const lines = replay(records);
    const note = lines.findIndex((line) => line.startsWith("[stepwise] console output over 500 bytes"));
    expect(note).toBeGreaterThan(0);
    expect(lines.slice(0, note)).toEqual(
      Array.from({ length: note }, (_, i) => `line ${i} ${"q".repeat(40)}`),
    );
    const printed =
      Array.from({ length: 20 }, (_, i) => `line ${i} ${"q".repeat(40)}\n`).join("").length + 1000;
    const kept = lines.slice(0, note).reduce((sum, line) => sum + line.length + 1, 0);
    const rest = printed - kept;
    expect(lines.at(-1)).toBe(
      `[stepwise] ${rest} bytes of console output after the 500 bytes limit were not stored`,
    );
  });
});

describe("LineAssembler", () => {
  it("overwrites from the line's start after \\r, treats \\r\\n as a line end, and cuts long lines", () => {
    const out: AssembledLine[] = [];
    const lines = new LineAssembler(10);
    lines.feed("abcdef\rXY\n", 1, out);
    lines.feed("windows\r\n", 2, out);
    lines.feed("0123456789ABCDEF\n", 3, out);
    expect(out.map((l) => l.text)).toEqual(["XYcdef", "windows", "0123456789 …[6 characters cut]"]);
    lines.feed("partial", 4, out);
    expect(lines.partial()?.text).toBe("partial");
    expect(lines.partial()).toBeNull();
    expect(lines.end(5)?.text).toBe("partial");
  });
});
