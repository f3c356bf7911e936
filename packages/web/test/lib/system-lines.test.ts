import { describe, expect, it } from "vitest";
import { systemKeys, systemLine } from "../../src/lib/system-lines.js";

const response = {
  keys: [
    "system.gpu.0.temp",
    "system.cpu.10.cpu_percent",
    "system.cpu",
    "system.cpu.2.cpu_percent",
    "system.memory",
    "system.gpu.0.gpu",
  ],
  samples: [
    { _timestamp: 100, _runtime: 15, "system.cpu": 10, "system.gpu.0.gpu": 50 },
    { _timestamp: 115, _runtime: 30, "system.cpu": 20 },
    { _timestamp: 130, _runtime: 45, "system.cpu": 30, "system.gpu.0.gpu": 70 },
  ],
  total: 3,
};

describe("system lines", () => {
  it("orders keys as W&B's System section and sets per-core CPU apart by core number", () => {
    expect(systemKeys([response, undefined])).toEqual({
      main: ["system.cpu", "system.memory", "system.gpu.0.gpu", "system.gpu.0.temp"],
      cores: ["system.cpu.2.cpu_percent", "system.cpu.10.cpu_percent"],
    });
  });

  it("makes a run's line against relative or wall time from the samples that hold the key", () => {
    expect(systemLine("r", response, "system.gpu.0.gpu", "_runtime")).toMatchObject({
      x: [15, 45],
      y: [50, 70],
      exact: true,
    });
    expect(systemLine("r", response, "system.cpu", "_timestamp")).toMatchObject({
      x: [100, 115, 130],
      y: [10, 20, 30],
    });
  });
});
