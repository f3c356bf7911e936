import { describe, expect, it } from "vitest";
import { downsampleSamples, formatConsoleLine, parseConsoleLine, systemChartName } from "../src/index.js";

describe("console lines on the wire", () => {
  it("round-trip time, stream and text, W&B's output.log way (ERROR prefix for stderr)", () => {
    const time = Date.UTC(2026, 11, 7, 5, 20, 1, 234);
    const out = formatConsoleLine({ time, stream: "stdout", text: "ERROR looks like a prefix" });
    expect(out).toBe("2026-12-07T05:20:01.234Z ERROR looks like a prefix");
    expect(parseConsoleLine(out)).toEqual({ time, stream: "stdout", text: "ERROR looks like a prefix" });
    const err = formatConsoleLine({ time, stream: "stderr", text: " two  spaces " });
    expect(err).toBe("ERROR 2026-12-07T05:20:01.234Z  two  spaces ");
    expect(parseConsoleLine(err)).toEqual({ time, stream: "stderr", text: " two  spaces " });
    expect(parseConsoleLine("").text).toBe("");
  });

  it("reads W&B's microsecond stamps and keeps a line without a stamp as text", () => {
    expect(parseConsoleLine("2023-08-10T12:34:56.789012 hello")).toEqual({
      time: Date.UTC(2023, 7, 10, 12, 34, 56, 789),
      stream: "stdout",
      text: "hello",
    });
    expect(parseConsoleLine("no stamp here")).toEqual({ time: 0, stream: "stdout", text: "no stamp here" });
  });
});

describe("system samples", () => {
  it("are averaged into at most `max` buckets, each with its last sample's time", () => {
    const samples = Array.from({ length: 10 }, (_, i) => ({
      _timestamp: 100 + i,
      _runtime: i,
      "system.cpu": i * 10,
      ...(i % 2 === 0 ? { "system.gpu.0.gpu": i } : {}),
    }));
    const out = downsampleSamples(samples, 5);
    expect(out).toHaveLength(5);
    expect(out[0]).toEqual({ _timestamp: 101, _runtime: 1, "system.cpu": 5, "system.gpu.0.gpu": 0 });
    expect(out[4]).toEqual({ _timestamp: 109, _runtime: 9, "system.cpu": 85, "system.gpu.0.gpu": 8 });
    expect(downsampleSamples(samples, 20)).toEqual(samples);
  });

  it("are named as W&B's charts name them", () => {
    expect(systemChartName("system.gpu.0.gpu")).toBe("system/gpu.0.gpu");
    expect(systemChartName("system.cpu")).toBe("system/cpu");
  });
});
