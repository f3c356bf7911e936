/**
 * The files command's progress line: nothing in the first 200 ms or off a terminal; then bytes,
 * total and rate redrawn in place at most every 200 ms; erased at the end so that the next
 * message starts on a clean line. The `stepwise files` table's byte sizes.
 */
import { describe, expect, it } from "vitest";
import { formatBytes } from "../../src/cli/commands/files/files-table.js";
import { TransferProgress } from "../../src/cli/commands/files/transfer-progress.js";
import { memoryIo } from "./memory-io.js";

describe("TransferProgress", () => {
  it("draws after 200 ms, at most every 200 ms, and erases itself", () => {
    const io = memoryIo();
    let clock = 0;
    const progress = new TransferProgress(io.stderr, true, "get a.bin", () => clock);
    clock = 100;
    progress.update(1024, 4 * 1024 * 1024);
    expect(io.err()).toBe("");
    clock = 1000;
    progress.update(2 * 1024 * 1024, 4 * 1024 * 1024);
    expect(io.err()).toBe("\r\x1b[Kget a.bin: 2.0 MiB / 4.0 MiB, 2.0 MiB/s");
    clock = 1100;
    progress.update(3 * 1024 * 1024, 4 * 1024 * 1024);
    expect(io.err()).not.toContain("3.0 MiB");
    progress.clear();
    expect(io.err().endsWith("\r\x1b[K")).toBe(true);
  });

  it("writes nothing when stderr is not a terminal", () => {
    const io = memoryIo();
    let clock = 0;
    const progress = new TransferProgress(io.stderr, false, "put a.bin", () => clock);
    clock = 5000;
    progress.update(10, 20);
    progress.clear();
    expect(io.err()).toBe("");
  });
});

describe("formatBytes", () => {
  it("prints bytes below 1 KiB as they are, larger sizes in binary units with one decimal", () => {
    expect([0, 1023, 1024, 1536, 5 * 1024 ** 2, 3.25 * 1024 ** 3, 2 * 1024 ** 5].map(formatBytes)).toEqual([
      "0 B",
      "1023 B",
      "1.0 KiB",
      "1.5 KiB",
      "5.0 MiB",
      "3.3 GiB",
      "2048.0 TiB",
    ]);
  });
});
