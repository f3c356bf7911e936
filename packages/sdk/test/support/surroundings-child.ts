/** Runs test/fixtures/surroundings-child.mjs and keeps what it printed on each stream. */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConsoleLine, ConsoleLinesResponse, SystemMetricsResponse } from "@stepwise/protocol";

const SCRIPT = fileURLToPath(new URL("../fixtures/surroundings-child.mjs", import.meta.url));

export interface ChildResult {
  run: { entity: string; project: string; id: string; dir: string };
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface ChildOptions {
  target: string;
  durationMs: number;
  intervalMs?: number;
  kind?: "console" | "flood" | "quiet";
  env?: Record<string, string>;
}

export function runSurroundingsChild(dir: string, options: ChildOptions): Promise<ChildResult> {
  const args = [
    SCRIPT,
    dir,
    options.target,
    String(options.durationMs),
    String(options.intervalMs ?? 15_000),
    options.kind ?? "console",
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve) =>
    child.once("close", (code) => {
      const run = JSON.parse(readFileSync(join(dir, "child.json"), "utf8")) as ChildResult["run"];
      resolve({ run, stdout, stderr, code });
    }),
  );
}

/**
 * What a terminal shows for this output, line by line: `\n` ends a line, `\r` goes back to its
 * start and later characters overwrite it. Written independently of the SDK's assembler.
 */
export function terminalLines(output: string): string[] {
  const lines: string[] = [];
  const parts = output.split("\n");
  parts.forEach((part, i) => {
    if (i === parts.length - 1 && part === "") return;
    const screen: string[] = [];
    let cursor = 0;
    for (const ch of part) {
      if (ch === "\r") {
        cursor = 0;
        continue;
      }
      screen[cursor] = ch;
      cursor++;
    }
    lines.push(screen.join(""));
  });
  return lines;
}

export function runUrl(base: string, run: ChildResult["run"], tail: string): string {
  return `${base}/api/v1/runs/${run.entity}/${run.project}/${run.id}/${tail}`;
}

export async function fetchConsole(
  base: string,
  run: ChildResult["run"],
  query = "",
): Promise<ConsoleLinesResponse> {
  const response = await fetch(
    runUrl(base, run, `console?${query.includes("limit=") ? "" : "limit=5000"}${query}`),
  );
  if (!response.ok) throw new Error(`console: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as ConsoleLinesResponse;
}

export async function fetchSystem(
  base: string,
  run: ChildResult["run"],
  query = "",
): Promise<SystemMetricsResponse> {
  const response = await fetch(runUrl(base, run, `system${query}`));
  if (!response.ok) throw new Error(`system: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as SystemMetricsResponse;
}

export function texts(lines: readonly ConsoleLine[], stream: ConsoleLine["stream"]): string[] {
  return lines.filter((line) => line.stream === stream).map((line) => line.text);
}
