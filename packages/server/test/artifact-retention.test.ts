/** Which versions a retention policy deletes and why others are kept (domain/artifact-retention.ts); the schedule's config. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import {
  planRetention,
  TTL_ONLY,
  versionsToDelete,
  type RetainedVersion,
} from "../src/domain/artifact-retention.js";

const DAY = 86_400;
const now = 100 * DAY;
// v5 (newest) … v0, one a day; v1 holds an alias.
const versions: RetainedVersion[] = [5, 4, 3, 2, 1, 0].map((i) => ({
  version: `v${i}`,
  aliases: i === 5 ? ["latest"] : i === 1 ? ["production"] : [],
  createdAt: now - (5 - i) * DAY - 1,
}));

describe("versionsToDelete", () => {
  it("keeps what any rule keeps, and always the newest", () => {
    expect(versionsToDelete(versions, { keepLast: 2 }, now)).toEqual(["v3", "v2", "v1", "v0"]);
    expect(versionsToDelete(versions, { keepLast: 2, keepAliased: true }, now)).toEqual(["v3", "v2", "v0"]);
    expect(versionsToDelete(versions, { keepYoungerThanS: 2 * DAY }, now)).toEqual(["v3", "v2", "v1", "v0"]);
    expect(versionsToDelete(versions, { keepYoungerThanS: 3 * DAY, keepAliased: true }, now)).toEqual([
      "v2",
      "v0",
    ]);
    expect(versionsToDelete(versions, { keepAliased: true }, now)).toEqual(["v4", "v3", "v2", "v0"]);
    expect(versionsToDelete(versions.slice(0, 1), { keepLast: 1 }, now)).toEqual([]);
  });

  it("refuses a policy with no rule", () => {
    expect(() => versionsToDelete(versions, {}, now)).toThrow(/at least one rule/);
    expect(() => versionsToDelete(versions, { keepAliased: false }, now)).toThrow(/at least one rule/);
  });
});

describe("planRetention", () => {
  it("never selects a version linked in a registry, and says why each kept version is kept", () => {
    const linked = versions.map((v) =>
      v.version === "v2" ? { ...v, registryLinks: ["models/resnet:v0"] } : v,
    );
    const plan = planRetention(linked, { keepLast: 2 }, now);
    expect(plan.deleted).toEqual(["v3", "v1", "v0"]);
    expect(plan.kept).toEqual([
      { version: "v5", reasons: ["latest", "keep-last 2"] },
      { version: "v4", reasons: ["keep-last 2"] },
      { version: "v2", reasons: ["linked in registry models/resnet:v0"] },
    ]);
    const aliased = planRetention(linked, { keepAliased: true, keepYoungerThanS: 2 * DAY }, now);
    expect(aliased.deleted).toEqual(["v3", "v0"]);
    expect(aliased.kept.find((k) => k.version === "v1")?.reasons).toEqual(["aliased production"]);
    expect(aliased.kept.find((k) => k.version === "v4")?.reasons).toEqual(["younger than 172800 s"]);
  });
});

describe("TTLs", () => {
  // v5 (1 s old) past a 1 s TTL; v3 and v1 (aliased) past a 1-day one, v2 linked and past it;
  // v4 within a 10-day one; v0 none.
  const ttl = (v: RetainedVersion): RetainedVersion => {
    if (v.version === "v5") return { ...v, ttlS: 1 };
    if (v.version === "v4") return { ...v, ttlS: 10 * DAY };
    if (v.version === "v2") return { ...v, ttlS: DAY, registryLinks: ["models/resnet:v1"] };
    if (v.version === "v0") return v;
    return { ...v, ttlS: DAY };
  };
  const withTtl = versions.map(ttl);

  it("a version past its TTL goes whatever the rules keep, unless newest, aliased or linked", () => {
    const plan = planRetention(withTtl, { keepLast: 6 }, now);
    expect(plan.deleted).toEqual(["v3"]);
    expect(plan.kept).toEqual([
      { version: "v5", reasons: ["past ttl 1 s, latest"] },
      { version: "v4", reasons: ["keep-last 6"] },
      { version: "v2", reasons: [`past ttl ${DAY} s, linked in registry models/resnet:v1`] },
      { version: "v1", reasons: [`past ttl ${DAY} s, aliased production`] },
      { version: "v0", reasons: ["keep-last 6"] },
    ]);
  });

  it("TTL_ONLY keeps every version not past its TTL and needs no rule", () => {
    const plan = planRetention(withTtl, TTL_ONLY, now);
    expect(plan.deleted).toEqual(["v3"]);
    expect(plan.kept.map((k) => [k.version, k.reasons])).toEqual([
      ["v5", ["past ttl 1 s, latest"]],
      ["v4", [`within ttl ${10 * DAY} s`]],
      ["v2", [`past ttl ${DAY} s, linked in registry models/resnet:v1`]],
      ["v1", [`past ttl ${DAY} s, aliased production`]],
      ["v0", ["no ttl"]],
    ]);
    // v3 one second short of its day: nothing goes.
    expect(planRetention(withTtl, TTL_ONLY, now - DAY - 2).deleted).toEqual([]);
  });
});

describe("scheduled retention config", () => {
  it("reads the policies file and refuses a policy with no rule or a bad collection, naming the option", () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-retention-config-"));
    const file = join(dir, "policies.json");
    try {
      writeFileSync(file, JSON.stringify([{ collection: "local/*/ckpt", keepLast: 3 }]));
      const env = { STEPWISE_ARTIFACT_RETENTION_POLICIES: file };
      expect(loadConfig({}, env).artifactRetention).toEqual({
        intervalS: 3600,
        policies: [{ collection: "local/*/ckpt", keepLast: 3 }],
      });
      expect(loadConfig({ artifactRetentionIntervalS: "0" }, env).artifactRetention?.intervalS).toBe(0);
      // With no policy file the passes still run (they apply TTLs); interval 0: none at all.
      expect(loadConfig({}, {}).artifactRetention).toEqual({ intervalS: 3600, policies: [] });
      expect(loadConfig({ artifactRetentionIntervalS: "0" }, {}).artifactRetention).toBeUndefined();
      expect(() => loadConfig({ artifactRetentionIntervalS: "-1" })).toThrow(/--artifact-retention-interval/);
      writeFileSync(file, JSON.stringify([{ collection: "local/p/ckpt", keepAliased: false }]));
      expect(() => loadConfig({}, env)).toThrow(/policy 0 \(local\/p\/ckpt\).*at least one rule/);
      writeFileSync(file, JSON.stringify([{ collection: "local/p", keepLast: 1 }]));
      expect(() => loadConfig({}, env)).toThrow(/--artifact-retention-policies.*entity\/project\/name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
