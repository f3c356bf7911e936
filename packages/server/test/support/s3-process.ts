/**
 * A real S3-compatible server process for tests: s3rver (npm) in its own process
 * (test/fixtures/s3rver.mjs) over a temp directory, with one bucket. `env` is what a Stepwise server
 * needs to reach it (the usual AWS variables); `stop()` ends the process and removes its files.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LAUNCHER = join(import.meta.dirname, "..", "fixtures", "s3rver.mjs");

export interface S3Process {
  endpoint: string;
  bucket: string;
  /** AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY for it. */
  env: Record<string, string>;
  stop: () => Promise<void>;
}

export async function startS3Process(bucket = "stepwise-test"): Promise<S3Process> {
  const directory = mkdtempSync(join(tmpdir(), "stepwise-s3rver-"));
  const child = spawn(process.execPath, [LAUNCHER, directory, bucket], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}: ${stderr}`)));
  });
  const { port } = JSON.parse(first) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
