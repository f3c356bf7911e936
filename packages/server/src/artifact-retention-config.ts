/**
 * The scheduled artifact retention's part of the server configuration: how often the server
 * applies the retention policies (`--artifact-retention-interval`) and which policy each
 * collection has (`--artifact-retention-policies`, a JSON file). Validated once at start.
 */
import { readFileSync } from "node:fs";
import { UsageError } from "@stepwise/protocol";
import { z } from "zod";
import { assertHasRule } from "./domain/artifact-retention.js";

export interface RetentionConfigFlags {
  /** Seconds between passes; 0 = never (`--artifact-retention-interval`, `STEPWISE_ARTIFACT_RETENTION_INTERVAL_S`). */
  artifactRetentionIntervalS?: string | number;
  /**
   * A JSON file: `[{ "collection": "entity/project/name", "type"?, "keepLast"?, "keepAliased"?,
   * "keepYoungerThanS"? }]`, `*` for any entity, project or name (`--artifact-retention-policies`,
   * `STEPWISE_ARTIFACT_RETENTION_POLICIES`).
   */
  artifactRetentionPolicies?: string;
}

const SEGMENT = /^(\*|[^/*:]+)$/;

const policySchema = z
  .object({
    /** `entity/project/name`; each part a name or `*` (any). */
    collection: z
      .string()
      .refine((s) => s.split("/").length === 3 && s.split("/").every((part) => SEGMENT.test(part)), {
        message: "collection must be entity/project/name, each part a name or *",
      }),
    /** Only collections of this artifact type; absent: any. */
    type: z.string().min(1).optional(),
    keepLast: z.number().int().min(1).optional(),
    keepAliased: z.boolean().optional(),
    keepYoungerThanS: z.number().nonnegative().optional(),
  })
  .strict();

export type ScheduledRetentionPolicy = z.output<typeof policySchema>;

export interface RetentionScheduleConfig {
  /**
   * Seconds between passes that apply `policies` (the first one a minute after start, or one
   * interval when shorter); 0 = never. Default 3600.
   */
  intervalS: number;
  /** For each collection the first policy that matches it applies; a collection none matches is left alone. */
  policies: ScheduledRetentionPolicy[];
}

/**
 * The schedule; with no policy file it has no policy, and its passes apply the versions' TTLs
 * only. Null when the interval is 0 and no file is given: nothing to run.
 */
export function loadRetentionConfig(
  flags: RetentionConfigFlags,
  env: NodeJS.ProcessEnv,
): RetentionScheduleConfig | null {
  const rawInterval = flags.artifactRetentionIntervalS ?? env.STEPWISE_ARTIFACT_RETENTION_INTERVAL_S;
  const source =
    flags.artifactRetentionIntervalS === undefined
      ? "STEPWISE_ARTIFACT_RETENTION_INTERVAL_S"
      : "--artifact-retention-interval";
  const interval = z
    .union([z.number(), z.string().trim().min(1).pipe(z.coerce.number())])
    .pipe(z.number().min(0).max(31_536_000))
    .safeParse(rawInterval ?? 3600);
  if (!interval.success)
    throw new UsageError(
      `${source} must be a number of seconds (0 = never); got ${JSON.stringify(rawInterval)}`,
    );
  const file = flags.artifactRetentionPolicies ?? env.STEPWISE_ARTIFACT_RETENTION_POLICIES ?? "";
  if (file === "") return interval.data === 0 ? null : { intervalS: interval.data, policies: [] };
  return { intervalS: interval.data, policies: readPolicies(file) };
}

function readPolicies(file: string): ScheduledRetentionPolicy[] {
  const where = `--artifact-retention-policies (${file})`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${where}: cannot read it as JSON (${String(error)})`);
  }
  const parsed = z.array(policySchema).max(1000).safeParse(json);
  if (!parsed.success)
    throw new UsageError(
      `${where}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}; expected [{ "collection": "entity/project/name", "keepLast": 5 }]`,
    );
  for (const [index, policy] of parsed.data.entries()) {
    try {
      assertHasRule(policy);
    } catch (error) {
      throw new UsageError(`${where}: policy ${index} (${policy.collection}): ${(error as Error).message}`);
    }
  }
  return parsed.data;
}
