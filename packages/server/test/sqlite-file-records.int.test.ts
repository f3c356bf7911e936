/**
 * The files-per-run limit of the SQLite file records (LIMITS.runFiles, a million; three here):
 * a new file past it is refused with INVALID_DATA naming the run, a replacement is not, and
 * other runs are not affected; and the path check stays an index lookup at many files.
 */
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { InvalidDataError } from "@stepwise/protocol";
import { FileRecords } from "../src/store/sqlite/file-records.js";
import { migrate } from "../src/store/sqlite/schema.js";

const file = (path: string, size = 1) => ({
  path,
  size,
  sha256: "c".repeat(64),
  contentType: "text/plain",
  updatedAt: 1,
});

test("a run holds at most its limit of files; replacing one stays possible", () => {
  const db = new Database(":memory:");
  migrate(db, 0);
  const records = new FileRecords(db, 3);
  const ref = { entity: "e", project: "p", runId: "full" };
  for (const path of ["a", "b", "c"]) records.put(ref, file(path));
  expect(() => records.put(ref, file("d"))).toThrow(InvalidDataError);
  expect(() => records.put(ref, file("d"))).toThrow("run e/p/full holds 3 files, the most a run may hold");
  records.put(ref, file("a", 2));
  expect(records.get(ref, "a")?.size).toBe(2);
  records.put({ ...ref, runId: "other" }, file("d"));
  expect(records.all(ref).map((f) => f.path)).toEqual(["a", "b", "c"]);
  db.close();
});

test("recording a file checks its path with index lookups: 20,000 files into one run take well under 10 s", () => {
  const db = new Database(":memory:");
  migrate(db, 0);
  const records = new FileRecords(db);
  const ref = { entity: "e", project: "p", runId: "many" };
  const started = performance.now();
  // One transaction, as the store writes them; a scan of the run's files per record took 22 s here.
  db.transaction(() => {
    for (let i = 0; i < 20_000; i++) records.put(ref, file(`media/step-${i}/image.png`));
  })();
  expect(performance.now() - started).toBeLessThan(10_000);
  expect(records.all(ref)).toHaveLength(20_000);
  expect(() => records.put(ref, file("media/step-7"))).toThrow("already a folder");
  db.close();
});
