/**
 * init() refuses option names it does not know (W&B habits such as `job_type` or `reinit` would
 * otherwise be dropped without a word) and checks the server URL and entity before any run exists.
 */
import { afterEach, describe, expect, it } from "vitest";
import { UsageError, getRun, init } from "../src/index.js";
import { resolveSettings } from "../src/settings/resolve-settings.js";
import { nearestOption } from "../src/settings/unknown-option.js";

afterEach(async () => {
  await getRun()?.finish();
});

/** The UsageError an init() with these options throws (options as a plain-JS caller passes them). */
async function refusal(options: Record<string, unknown>): Promise<string> {
  const error: unknown = await init({ mode: "disabled", ...options }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof UsageError)) throw new Error(`init() did not refuse ${JSON.stringify(options)}`);
  return error.message;
}

describe("unknown init() options", () => {
  it("refuses a snake_case name, pointing at its camelCase spelling, and starts no run", async () => {
    await expect(refusal({ job_type: "train" })).resolves.toBe(
      'init(): unknown option "job_type"; did you mean "jobType"?',
    );
    expect(getRun()).toBeNull();
    await expect(refusal({ base_url: "http://x:1" })).resolves.toMatch(/did you mean "baseUrl"\?/);
  });

  it("refuses a typo with the nearest option, and a name with no near one with the list", async () => {
    await expect(refusal({ projct: "p" })).resolves.toMatch(
      /unknown option "projct"; did you mean "project"\?/,
    );
    await expect(refusal({ anonymous: "allow" })).resolves.toMatch(
      /unknown option "anonymous"; use one of project, entity, name, id, group, jobType/,
    );
  });

  it("answers W&B's reinit with what a second init() does here", async () => {
    await expect(refusal({ reinit: true })).resolves.toMatch(
      /unknown option "reinit"; a second init\(\) returns the active run; call finish\(\)/,
    );
  });

  it("refuses unknown settings, with the nearest setting", async () => {
    await expect(refusal({ settings: { silnt: true } })).resolves.toBe(
      'init() settings: unknown option "silnt"; did you mean "silent"?',
    );
    await expect(refusal({ settings: { finish_timeout_ms: 5 } })).resolves.toMatch(/"finishTimeoutMs"/);
  });

  it("refuses unknown options even while a run is active (they would be ignored)", async () => {
    const run = await init({ mode: "disabled" });
    await expect(refusal({ job_type: "x" })).resolves.toMatch(/"jobType"/);
    expect(getRun()).toBe(run);
  });

  it("shares one suggestion rule with defineMetric", () => {
    expect(nearestOption("step_metric", ["stepMetric", "summary"])).toBe("stepMetric");
    expect(nearestOption("summray", ["stepMetric", "summary"])).toBe("summary");
    expect(nearestOption("xyz", ["stepMetric", "summary"])).toBeNull();
  });
});

describe("baseUrl and entity are checked at init()", () => {
  it("refuses a base URL that is not http(s)://host, naming where it came from", () => {
    for (const bad of ["localhost:8080", "ftp://host", "http://", "not a url", "http://h:1/?x=1"])
      expect(() => resolveSettings({ baseUrl: bad }, {})).toThrow(/init\(\) option "baseUrl".*server URL/);
    expect(() => resolveSettings({}, { STEPWISE_BASE_URL: "127.0.0.1:8080" })).toThrow(
      /environment variable STEPWISE_BASE_URL: invalid server URL "127\.0\.0\.1:8080"; use http\(s\):\/\/host:port/,
    );
  });

  it("keeps a valid base URL, without trailing slashes, with a path prefix", () => {
    expect(resolveSettings({ baseUrl: "https://tracker.example.com/stepwise/" }, {}).baseUrl).toBe(
      "https://tracker.example.com/stepwise",
    );
    expect(resolveSettings({ baseUrl: "http://[::1]:8080" }, {}).baseUrl).toBe("http://[::1]:8080");
  });

  it("refuses an entity that cannot be a URL segment", async () => {
    await expect(refusal({ entity: "team/a" })).resolves.toMatch(
      /init\(\) option "entity": invalid entity name/,
    );
    await expect(refusal({ entity: "" })).resolves.toMatch(/invalid entity name ""/);
  });
});
