/**
 * `stepwise server --blobs`: a location that is not `s3://<bucket>[/<prefix>]` stops the start
 * with a usage error naming the option (flag or STEPWISE_BLOBS), a bucket the server cannot
 * reach stops it naming the bucket and the variables to check, and `--help` tells how. (The
 * server on S3 itself: server/test/s3-blobs-server.int.test.ts; --check and --gc on S3:
 * server-check-postgres.int.test.ts.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { runCli } from "./cli-bin.js";

const dir = mkdtempSync(join(tmpdir(), "stepwise-cli-blobs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("--blobs: help, bad locations and an unreachable bucket", async () => {
  const help = await runCli(["server", "--help"]);
  expect(help.stdout).toContain("--blobs s3://<bucket>[/<prefix>]");
  expect(help.stdout).toContain("AWS_ENDPOINT_URL");

  const flag = await runCli(["server", "--port", "0", "--data", dir, "--blobs", "/srv/files"]);
  expect(flag.code).toBe(2);
  expect(flag.stderr).toContain("--blobs must be s3://<bucket>[/<prefix>]");
  const env = await runCli(["server", "--port", "0", "--data", dir], {
    env: { STEPWISE_BLOBS: "s3://No_Bucket" },
  });
  expect(env.code).toBe(2);
  expect(env.stderr).toContain("STEPWISE_BLOBS must be s3://");

  // Nothing listens on port 9 of this machine: the start fails at once, naming what to check.
  const unreachable = await runCli(["server", "--port", "0", "--data", dir, "--blobs", "s3://team-files/x"], {
    env: {
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_MAX_ATTEMPTS: "1",
    },
  });
  expect(unreachable.code).not.toBe(0);
  expect(unreachable.stderr).toContain("cannot reach bucket 'team-files' at http://127.0.0.1:9");
  expect(unreachable.stderr).toContain("AWS_ENDPOINT_URL");
}, 60_000);
