/** logWithoutRepeats: a line again within a minute is held back and counted, then told. */
import { expect, test } from "vitest";
import { logWithoutRepeats } from "../src/log-without-repeats.js";

test("repeats within a minute are held back, counted, and told with the next showing", () => {
  const shown: string[] = [];
  let now = 0;
  const log = logWithoutRepeats(
    (line) => shown.push(line),
    () => now,
  );
  log("disk full");
  log("other");
  now = 30_000;
  log("disk full");
  log("disk full");
  now = 60_001;
  log("disk full");
  log("other");
  expect(shown).toEqual([
    "disk full",
    "other",
    "disk full (and 2 more times since it was last shown)",
    "other",
  ]);
});
