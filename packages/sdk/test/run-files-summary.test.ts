/**
 * summary.json's periodic check never waits for media being written: while the summary source
 * says its media are not written yet (null) nothing is recorded and the check is tried again a
 * second later; once they are, summary.json is recorded; close() asks for the final text (which
 * waits) and records it. Read back from the run log the writer wrote.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunLogReader } from "../src/index.js";
import { RunFiles } from "../src/run/run-files.js";
import { RunLogWriter } from "../src/runlog/run-log-writer.js";
import { useTempDirs } from "./support/temp-dir.js";

const tempDir = useTempDirs();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function summaryTexts(logFile: string): string[] {
  const texts: string[] = [];
  for (const { record } of new RunLogReader(logFile).records())
    if (record.t === "file" && record.path === "summary.json" && "inline" in record.source)
      texts.push(Buffer.from(record.source.inline, "base64").toString("utf8"));
  return texts;
}

describe("summary.json with media still being written", () => {
  it("skips the periodic check, retries after a second, and waits only at close", async () => {
    const dir = tempDir();
    const writer = RunLogWriter.create(join(dir, "run.swlog"));
    const asked: boolean[] = [];
    let settled = false;
    let text = '{"img": "pending"}\n';
    const files = new RunFiles(writer, {
      config: () => "{}\n",
      summary: (final) => {
        asked.push(final);
        return final || settled ? text : null;
      },
    });
    files.start(dir, new Date());
    expect(asked).toEqual([false]);
    await sleep(1300);
    expect(asked).toEqual([false, false]);
    settled = true;
    text = '{"img": "written"}\n';
    await sleep(1100);
    text = '{"img": "final"}\n';
    files.close();
    expect(asked.at(-1)).toBe(true);
    expect(await writer.close()).toBe("complete");
    expect(summaryTexts(writer.file)).toEqual(['{"img": "written"}\n', '{"img": "final"}\n']);
  });
});
