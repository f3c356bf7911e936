/**
 * `stepwise migrate`'s help and refusals, from the built CLI bin: what is missing or wrong is
 * named, with the exit codes of the catalogue (2 usage, 4 no data directory), before anything
 * is opened.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { migrate } from "./migrate-cli.js";

const NO_DATABASE = { STEPWISE_DATABASE_URL: "", STEPWISE_BLOBS: "" };

test("--help describes the command and its exit codes on stdout", async () => {
  const help = await migrate(["--help"]);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: stepwise migrate --from <data dir> --to postgres:/);
  expect(help.stdout).toMatch(/3 a run differs after the copy/);
});

test("refuses a missing --from or --to, a URL that is not PostgreSQL, and two places for files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "stepwise-migrate-usage-"));
  try {
    const cases: Array<[string[], RegExp]> = [
      [["--to", "postgres://x@127.0.0.1:1/x"], /--from <data dir> is required/],
      [["--from", dir], /--to postgres:\/\/… is required \(or STEPWISE_DATABASE_URL\)/],
      [["--from", dir, "--to", "mysql://x/y"], /--to must be a PostgreSQL URL/],
      [
        ["--from", dir, "--to", "postgres://x@127.0.0.1:1/x", "--blobs", "s3://b", "--to-data", dir],
        /--blobs and --to-data both name where run files go/,
      ],
      [["--from", dir, "--bogus"], /unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const run = await migrate(args, NO_DATABASE);
      expect({ code: run.code, stdout: run.stdout }, args.join(" ")).toEqual({ code: 2, stdout: "" });
      expect(run.stderr).toMatch(message);
    }
    const empty = await migrate(
      ["--from", join(dir, "nothing"), "--to", "postgres://x@127.0.0.1:1/x"],
      NO_DATABASE,
    );
    expect(empty.code).toBe(4);
    expect(empty.stderr).toMatch(/no Stepwise database at .*nothing\/stepwise\.db/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
