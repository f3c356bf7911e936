/** LineSink: batching into chunks, waiting out backpressure, and stopping quietly on EPIPE. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LineSink } from "../../src/cli/output/line-sink.js";

/** A writable that records chunks and, like a slow pipe, answers `false` after each one. */
function slowWritable(chunks: string[]): Writable {
  return new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      setTimeout(callback, 1);
    },
  });
}

describe("LineSink", () => {
  it("writes nothing until a chunk is full, then the whole chunk at once", async () => {
    const chunks: string[] = [];
    const sink = new LineSink(slowWritable(chunks), 10);
    expect(sink.add("abcd\n")).toBe(false);
    expect(chunks).toEqual([]);
    expect(sink.add("efgh\n")).toBe(true);
    await sink.flush();
    expect(chunks).toEqual(["abcd\nefgh\n"]);
  });

  it("waits for drain before the next chunk and loses nothing", async () => {
    const chunks: string[] = [];
    const sink = new LineSink(slowWritable(chunks), 4);
    for (let i = 0; i < 50; i++) if (sink.add(`${i}\n`)) await sink.flush();
    await sink.flush();
    expect(chunks.join("")).toBe(Array.from({ length: 50 }, (_, i) => `${i}\n`).join(""));
  });

  it("marks itself closed on EPIPE instead of throwing", async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const sink = new LineSink(broken, 1);
    sink.add("a\n");
    await sink.flush();
    await sink.flush();
    expect(sink.closed).toBe(true);
    sink.add("b\n");
    await expect(sink.flush()).resolves.toBeUndefined();
  });

  it("throws other stream errors", async () => {
    const full = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("no space left"), { code: "ENOSPC" }));
      },
    });
    const sink = new LineSink(full, 1);
    sink.add("a\n");
    await sink.flush().catch(() => undefined);
    await expect(sink.flush()).rejects.toThrow("no space left");
  });
});
