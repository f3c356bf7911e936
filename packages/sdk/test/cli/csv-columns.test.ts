/** CsvColumns: _step first, user names in first-seen order, _runtime and _timestamp last. */
import { describe, expect, it } from "vitest";
import { CsvColumns } from "../../src/cli/format/csv-columns.js";

describe("CsvColumns", () => {
  it("orders _step, then user names as first seen, then _runtime and _timestamp", () => {
    const columns = new CsvColumns();
    columns.observe(["_timestamp", "loss", "_runtime", "_step"]);
    columns.observe(["acc", "loss", "_step"]);
    expect(columns.list()).toEqual(["_step", "loss", "acc", "_runtime", "_timestamp"]);
  });

  it("has a _step column even when no row was seen", () => {
    expect(new CsvColumns().list()).toEqual(["_step"]);
  });
});
