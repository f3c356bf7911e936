import { describe, expect, it } from "vitest";
import { QUARANTINE_NOTE_PATH } from "@stepwise/protocol";
import { hasQuarantineNote, quarantineWarning } from "../../src/lib/quarantine-warning.js";

const file = (path: string) => ({ path, size: 1, sha256: "", contentType: "application/json", updatedAt: 0 });

describe("quarantine warning", () => {
  it("is looked for only when the run has the note file", () => {
    expect(hasQuarantineNote([file("config.json"), file(QUARANTINE_NOTE_PATH)])).toBe(true);
    expect(hasQuarantineNote([file("config.json")])).toBe(false);
  });

  it("names the count, the first reason and where the records are kept", () => {
    const text = quarantineWarning({
      records: 2,
      firstReason: "HTTP 400: body.history.rows[3].x: nests deeper than 100 levels",
      localFile: "/home/me/stepwise/run-1/quarantine.jsonl",
      updatedAt: 1,
    });
    expect(text).toMatch(/^2 records were refused by this server/);
    expect(text).toContain("nests deeper than 100 levels");
    expect(text).toContain("/home/me/stepwise/run-1/quarantine.jsonl");
  });

  it("shows nothing for a body that is not a note", () => {
    expect(quarantineWarning({ records: "many" })).toBeNull();
    expect(quarantineWarning(null)).toBeNull();
    expect(quarantineWarning({ records: 0, firstReason: "", localFile: "", updatedAt: 0 })).toBeNull();
  });
});
