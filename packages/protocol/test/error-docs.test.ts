/** docs/server.md's error table lists every code of the catalogue with the status it maps to. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCatalogue, type ErrorCode } from "../src/errors.js";

const SERVER_DOC = readFileSync(new URL("../../../docs/server.md", import.meta.url), "utf8");

/** `| 409    | \`OFFSET_GAP\` | …` rows → code → status. */
function documentedStatuses(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const match of SERVER_DOC.matchAll(/^\|\s*(\d{3})\s*\|\s*`([A-Z_]+)`\s*\|/gm))
    rows.set(match[2] as string, Number(match[1]));
  return rows;
}

describe("docs/server.md error table", () => {
  it("lists every catalogued code with its HTTP status, and no code the catalogue lacks", () => {
    const documented = documentedStatuses();
    const catalogue = Object.entries(errorCatalogue).map(([code, { httpStatus }]) => [code, httpStatus]);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(catalogue));
    for (const code of ["STORAGE_FULL", "STORE_CORRUPT", "WRITER_CONFLICT", "PATH_CONFLICT"] as ErrorCode[])
      expect(documented.has(code)).toBe(true);
  });
});
