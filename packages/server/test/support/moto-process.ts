/**
 * A second real S3-compatible server process for tests: moto's server (Python, from PyPI), in a
 * virtual environment under the repository's `.tmp/` (`.tmp/moto-venv-<version>`, made with
 * `python3 -m venv` and `pip install "moto[server]==<version>"` the first time and reused after;
 * a `.ready` marker is written once the install worked, a lock folder keeps two test processes
 * from building it at once). Unlike s3rver it implements UploadPartCopy, ListParts and
 * AbortMultipartUpload. Anything missing (python3, its venv module, PyPI) is a thrown error
 * saying what to install: the tests fail, they never skip silently.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { parseS3Location, s3Settings } from "../../src/blob/s3-location.js";
import { S3Objects } from "../../src/blob/s3-objects.js";
import type { S3Process } from "./s3-process.js";

const run = promisify(execFile);
export const MOTO_VERSION = "5.2.6";
const REPO_ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const STALE_LOCK_MS = 15 * 60_000;

async function motoServer(): Promise<string> {
  const dir = join(REPO_ROOT, ".tmp", `moto-venv-${MOTO_VERSION}`);
  const bin = join(dir, "bin", "moto_server");
  const ready = join(dir, ".ready");
  if (existsSync(ready)) return bin;
  await mkdir(join(REPO_ROOT, ".tmp"), { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (existsSync(ready)) return bin;
    const held = statSync(lock, { throwIfNoEntry: false });
    if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MS)
      await rm(lock, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  try {
    await rm(dir, { recursive: true, force: true });
    await run("python3", ["-m", "venv", dir], { timeout: 120_000 }).catch((error: unknown) => {
      throw new Error(
        `cannot make a Python virtual environment for moto (python3 -m venv ${dir}): install python3 and its venv module (Debian: apt-get install python3-venv)`,
        { cause: error },
      );
    });
    await run(
      join(dir, "bin", "pip"),
      ["install", "--quiet", "--disable-pip-version-check", `moto[server]==${MOTO_VERSION}`],
      {
        timeout: 600_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((error: unknown) => {
      throw new Error(`cannot pip install moto[server]==${MOTO_VERSION} from PyPI into ${dir}`, {
        cause: error,
      });
    });
    await writeFile(ready, `${MOTO_VERSION}\n`);
    return bin;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

export async function startMotoProcess(bucket = "stepwise-test"): Promise<S3Process> {
  const bin = await motoServer();
  const port = await freePort();
  const child = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    if (
      await fetch(`${endpoint}/moto-api/`).then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint}: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
  };
  const objects = await S3Objects.open(s3Settings(parseS3Location(`s3://${bucket}`), env));
  try {
    await objects.client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    objects.close();
  }
  return {
    endpoint,
    bucket,
    env,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
