/**
 * The examples in docs/cli.md and in `stepwise export --help` run as written (with `stepwise`
 * meaning the built bin) against a real run, and succeed.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { init } from "@stepwise/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_HELP } from "../../src/cli/commands/export/export-help.js";
import { BIN, runShell } from "./run-cli.js";

const DOC = new URL("../../../../docs/cli.md", import.meta.url);

function docExamples(): string[] {
  const blocks = readFileSync(DOC, "utf8").match(/```sh\n[\s\S]*?```/g) ?? [];
  return blocks.flatMap((block) => block.split("\n").filter((line) => line.startsWith("stepwise ")));
}

function helpExamples(): string[] {
  const examples = EXPORT_HELP.split("Examples:\n")[1] ?? "";
  return examples
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("stepwise "));
}

let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "stepwise-doc-"));
  const run = await init({
    mode: "offline",
    dir: tmp,
    project: "p",
    config: { lr: 0.1 },
    settings: { silent: true },
  });
  run.log({ loss: 1, train: { acc: 0.5 } });
  run.log({ loss: 0.5, train: { acc: 0.7 } });
  await run.finish();
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("documented examples", () => {
  it("finds examples in docs/cli.md and in the help", () => {
    expect(docExamples().length).toBeGreaterThanOrEqual(3);
    expect(helpExamples()).toHaveLength(2);
  });

  it.each([...docExamples(), ...helpExamples()])("%s", async (example) => {
    const script = `set -eo pipefail; cd "${tmp}"; stepwise() { "${process.execPath}" "${BIN}" "$@"; }; ${example}`;
    const { stderr } = await runShell(script);
    expect(stderr).toMatch(/^(wrote [^\n]+\n)?$/);
  });
});
