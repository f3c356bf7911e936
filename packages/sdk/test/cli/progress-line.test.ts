/** ProgressLine: at most one redraw per 200 ms, nothing when disabled, erased at the end. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ProgressLine } from "../../src/cli/output/progress-line.js";

function capture(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

describe("ProgressLine", () => {
  it("redraws at most every 200 ms with rows, total and rate, and erases itself", async () => {
    const out = capture();
    let now = 0;
    const line = new ProgressLine(out.stream, {
      enabled: true,
      label: "exporting",
      total: 1000,
      now: () => now,
    });
    now = 100;
    line.tick(64);
    now = 250;
    line.tick(128);
    now = 300;
    line.tick(192);
    line.clear();
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).toBe("\r\x1b[Kexporting: 128 / 1,000 rows, 512 rows/s\r\x1b[K");
  });

  it("writes nothing when disabled", async () => {
    const out = capture();
    let now = 0;
    const line = new ProgressLine(out.stream, { enabled: false, label: "x", total: null, now: () => now });
    now = 10_000;
    line.tick(64);
    line.clear();
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).toBe("");
  });
});
