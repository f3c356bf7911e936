/**
 * With nothing logged, each page says what to do: the projects page and an empty workspace show
 * the SDK snippet that logs a first run; an unknown run says it is not there and links back.
 */
import { describe, expect, it } from "vitest";
import { useE2eFixture } from "./support/e2e-fixture.js";

const fx = useE2eFixture({ vision: false });

describe("empty states", () => {
  it("the projects page of a new server shows how to log a first run", async () => {
    const page = await fx.open("/");
    const empty = page.locator('[data-testid="empty-state"]');
    await empty.waitFor();
    const snippet = await empty.locator('[data-testid="code-snippet"]').innerText();
    expect(snippet).toContain('from "@stepwise/sdk"');
    expect(snippet).toContain("run.log(");
  });

  it("a workspace without runs shows the snippet for that project", async () => {
    const page = await fx.open("/local/nothing-here");
    const empty = page.locator('[data-testid="empty-state"]');
    await empty.waitFor();
    await expect(empty.locator('[data-testid="code-snippet"]').innerText()).resolves.toContain(
      "nothing-here",
    );
  });

  it("an unknown run says so and links back to the workspace", async () => {
    const page = await fx.open("/local/nothing-here/runs/no-such-run");
    const error = page.locator('[data-testid="error-state"]');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain("no-such-run");
    await error.locator('a[href="/local/nothing-here"]').click();
    await page.waitForURL("**/local/nothing-here");
  });
});
