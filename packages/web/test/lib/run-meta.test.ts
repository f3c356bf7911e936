import { describe, expect, it } from "vitest";
import type { RunDto } from "@stepwise/protocol";
import { formatBytes, formatCommand, liveDuration, runMetadata, shellQuote } from "../../src/lib/run-meta.js";

describe("formatCommand", () => {
  it("joins program and args, quoting words a shell would split", () => {
    expect(formatCommand("train.py", ["--lr", "0.1", "--name", "my run", "it's"])).toBe(
      "train.py --lr 0.1 --name 'my run' 'it'\\''s'",
    );
    expect(formatCommand("", [])).toBe("");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("a=b,c/d.e")).toBe("a=b,c/d.e");
  });
});

describe("liveDuration", () => {
  const base = { createdAt: 1000, heartbeatAt: 1010, finishedAt: null };
  it("counts a running run up to now, so it ticks between heartbeats", () => {
    expect(liveDuration({ ...base, state: "running" }, 1030)).toBe(30);
    expect(liveDuration({ ...base, state: "running" }, 1005)).toBe(10);
  });
  it("stops a finished run at its end", () => {
    expect(liveDuration({ ...base, state: "finished", finishedAt: 1020 }, 5000)).toBe(20);
    expect(liveDuration({ ...base, state: "crashed" }, 5000)).toBe(10);
  });
});

describe("formatBytes", () => {
  it("picks a unit", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(23 * 1024 * 1024)).toBe("23 MB");
    expect(formatBytes(-1)).toBe("–");
  });
});

describe("runMetadata", () => {
  it("lists the compared fields and leaves out unset ones", () => {
    const run = {
      state: "finished",
      group: "",
      jobType: "train",
      tags: ["b", "a"],
      host: "gpu1",
      program: "train.py",
      args: ["--lr", "0.1"],
      gitCommit: null,
      createdAt: 0,
      heartbeatAt: 0,
      finishedAt: 65,
      exitCode: 0,
    } as unknown as RunDto;
    const meta = runMetadata(run);
    expect(Object.keys(meta)).toEqual([
      "state",
      "jobType",
      "tags",
      "host",
      "command",
      "created",
      "duration",
      "exitCode",
    ]);
    expect(meta["tags"]).toEqual(["a", "b"]);
    expect(meta["command"]).toBe("train.py --lr 0.1");
    expect(meta["duration"]).toBe("1m 05s");
    expect(meta["exitCode"]).toBe(0);
  });
});
