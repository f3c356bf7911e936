/** isPackageMissing(): only the named package itself missing counts as "not installed". */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPackageMissing } from "../../src/cli/server-command-delegate.js";

async function importError(specifier: string): Promise<unknown> {
  try {
    await import(specifier);
  } catch (error) {
    return error;
  }
  throw new Error(`importing ${specifier} did not fail`);
}

describe("isPackageMissing", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "stepwise-delegate-"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("is true when the package is not installed", async () => {
    const name = "@stepwise/no-such-package";
    expect(isPackageMissing(await importError(name), name)).toBe(true);
  });

  it("is false for an installed package whose own dependency is missing", async () => {
    // A broken install: the error names the missing dependency and a file under @stepwise/cli.
    const dir = join(tmp, "node_modules", "@stepwise", "cli");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{"name":"@stepwise/cli","type":"module"}');
    writeFileSync(join(dir, "index.js"), 'import "@stepwise/no-such-dependency";\n');
    const error = await importError(pathToFileURL(join(dir, "index.js")).href);
    expect(error).toMatchObject({ code: "ERR_MODULE_NOT_FOUND" });
    expect((error as Error).message).toContain("@stepwise/cli");
    expect(isPackageMissing(error, "@stepwise/cli")).toBe(false);
  });

  it("is false for other errors", () => {
    expect(isPackageMissing(new Error("Cannot find package '@stepwise/cli'"), "@stepwise/cli")).toBe(false);
    expect(isPackageMissing("Cannot find package '@stepwise/cli'", "@stepwise/cli")).toBe(false);
  });
});
