/** parseExportArgs: defaults, and a usage error (exit 2) for every malformed combination. */
import { UsageError } from "@stepwise/protocol";
import { describe, expect, it } from "vitest";
import { parseExportArgs } from "../../src/cli/commands/export/export-options.js";

function usageMessage(argv: string[]): string {
  try {
    parseExportArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(" ")}`);
}

describe("parseExportArgs", () => {
  it("defaults to history as JSON lines on stdout with every key", () => {
    expect(parseExportArgs(["run-dir"])).toEqual({
      target: "run-dir",
      what: "history",
      format: "jsonl",
      keys: null,
      out: null,
      baseUrl: null,
      apiKey: null,
      filters: [],
      combined: false,
      jobs: 4,
      json: false,
    });
  });

  it("reads every option, in both --flag value and --flag=value forms", () => {
    const options = parseExportArgs(["--format=csv", "run-dir", "--keys", "a,b", "-o", "x.csv"]);
    expect(options).toMatchObject({ target: "run-dir", format: "csv", out: "x.csv" });
    expect(options !== "help" && options.keys?.keys).toEqual(["a", "b"]);
  });

  it("answers help for -h and --help", () => {
    expect(parseExportArgs(["--help"])).toBe("help");
    expect(parseExportArgs(["-h", "whatever"])).toBe("help");
  });

  it("names an unknown flag and points at the help", () => {
    expect(usageMessage(["run-dir", "--bogus"])).toBe(
      "unknown option '--bogus'\nRun 'stepwise export --help' for usage.",
    );
  });

  it("rejects a missing or second target", () => {
    expect(usageMessage([])).toMatch(/^missing <target>/);
    expect(usageMessage(["a", "b"])).toMatch(/^expected one <target>, got 2/);
  });

  it("rejects unknown --what and --format values, naming the valid ones", () => {
    expect(usageMessage(["d", "--what", "files"])).toMatch(
      /--what must be one of history, summary, config, run/,
    );
    expect(usageMessage(["d", "--format", "xml"])).toMatch(/--format must be one of jsonl, csv, parquet/);
  });

  it("allows parquet for history only, and reads the server options", () => {
    expect(
      parseExportArgs(["e/p/r", "--format", "parquet", "--base-url", "http://h:1", "--api-key", "k"]),
    ).toMatchObject({
      format: "parquet",
      baseUrl: "http://h:1",
      apiKey: "k",
    });
    expect(usageMessage(["d", "--what", "config", "--format", "parquet"])).toMatch(
      /--format parquet applies to --what history only/,
    );
  });

  it("allows csv for history only", () => {
    expect(usageMessage(["d", "--what", "summary", "--format", "csv"])).toMatch(
      /--format csv applies to --what history only/,
    );
  });

  it("rejects empty --keys and --keys with --what run", () => {
    expect(usageMessage(["d", "--keys", ","])).toMatch(/--keys needs at least one key/);
    expect(usageMessage(["d", "--what", "run", "--keys", "a"])).toMatch(/not to --what run/);
  });

  it("reports a missing option value", () => {
    expect(usageMessage(["d", "--out"])).toMatch(/^option '-o, --out <value>' argument missing/);
  });

  it("reads a project export's --filter, --combined, --jobs and --json, refusing bad ones", () => {
    const options = parseExportArgs([
      "e/p",
      "--filter",
      "config.lr>0.1",
      "--filter",
      "state=finished",
      "--combined",
      "--jobs",
      "8",
      "--json",
    ]);
    expect(options).toMatchObject({ target: "e/p", combined: true, jobs: 8, json: true });
    expect(options !== "help" && options.filters).toHaveLength(2);
    expect(usageMessage(["e/p", "--filter", "config.lr>>"])).toMatch(/^--filter: /);
    expect(usageMessage(["e/p", "--jobs", "0"])).toMatch(/--jobs must be a whole number from 1 to 64/);
    expect(usageMessage(["e/p", "--jobs", "two"])).toMatch(/--jobs must be a whole number/);
  });
});
