/**
 * Applies the configured artifact retention policies on a schedule inside the server
 * (`--artifact-retention-interval`): each pass finds the collections each policy names and
 * applies it exactly as `POST …/retention` would (apply-retention.ts: what a dry run shows, no
 * more; registry-linked and newest versions kept). One pass at a time; a failure is logged and
 * the next pass tries again. A pass that deleted versions then asks for a garbage collection,
 * which frees the blobs only those versions held (once past the GC grace period).
 * Each pass then applies the versions' TTLs to every collection holding an expired one that no
 * policy matched (a policy's pass applies them too): runs with no policy file as well.
 */
import { applyRetention, type CollectionRef } from "./apply-retention.js";
import { TTL_ONLY } from "./domain/artifact-retention.js";
import type { RetentionScheduleConfig, ScheduledRetentionPolicy } from "./artifact-retention-config.js";
import { LocalFleetLock, type FleetLock } from "./fleet/fleet-lock.js";
import type { Store } from "./store/store.js";

/** The first pass runs this long after start (or one interval when shorter): start-up stays quick. */
const FIRST_PASS_DELAY_S = 60;

export interface RetentionPassReport {
  collections: number;
  versionsDeleted: number;
  /** Bytes only the deleted versions held: what garbage collection frees. */
  bytesFreed: number;
  /** Collections whose pass failed (each logged). */
  failures: number;
}

export class ArtifactRetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionPassReport> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly config: RetentionScheduleConfig,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
    /** Called after a pass that deleted versions (the server's garbage collection). */
    private readonly afterDeletes: () => Promise<unknown> = () => Promise.resolve(),
    /** Several servers on one database: one pass per interval across them (fleet/fleet-lock.ts). */
    private readonly fleet: FleetLock = new LocalFleetLock(),
  ) {}

  start(): void {
    if (this.config.intervalS <= 0) return;
    const tick = (): void =>
      void this.fleet.runExclusive("artifact-retention", () => this.pass(), this.config.intervalS * 0.9);
    const first = Math.min(FIRST_PASS_DELAY_S, this.config.intervalS) * 1000;
    this.timer = setTimeout(() => {
      tick();
      if (this.stopped) return;
      this.timer = setInterval(tick, this.config.intervalS * 1000);
      this.timer.unref();
    }, first);
    this.timer.unref();
  }

  /** Runs a pass now, or answers the one in progress: never two at once. Never rejects. */
  pass(): Promise<RetentionPassReport> {
    this.running ??= this.runPass().finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the timer and waits for a pass in progress, so the store can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async runPass(): Promise<RetentionPassReport> {
    const report: RetentionPassReport = { collections: 0, versionsDeleted: 0, bytesFreed: 0, failures: 0 };
    const seen = new Set<string>();
    for (const policy of this.config.policies) {
      let collections: CollectionRef[];
      try {
        collections = await this.collectionsOf(policy);
      } catch (error) {
        report.failures++;
        this.log(`artifact retention: listing ${policy.collection} failed: ${messageOf(error)}`);
        continue;
      }
      // The first policy that matches a collection applies to it.
      for (const collection of collections) await this.applyOnce(collection, policy, seen, report);
    }
    let expired: CollectionRef[] = [];
    try {
      expired = await this.store.artifacts.collectionsWithExpired(this.now());
    } catch (error) {
      report.failures++;
      this.log(`artifact retention: listing expired versions failed: ${messageOf(error)}`);
    }
    for (const collection of expired) await this.applyOnce(collection, TTL_ONLY, seen, report);
    if (report.versionsDeleted > 0)
      await this.afterDeletes().catch((error: unknown) =>
        this.log(`artifact retention: garbage collection after it failed: ${messageOf(error)}`),
      );
    return report;
  }

  /** Applies `policy` to `collection` unless this pass did already; logs and counts what it did. */
  private async applyOnce(
    collection: CollectionRef,
    policy: ScheduledRetentionPolicy | typeof TTL_ONLY,
    seen: Set<string>,
    report: RetentionPassReport,
  ): Promise<void> {
    const key = `${collection.entity}/${collection.project}/${collection.name}`;
    if (seen.has(key) || this.stopped) return;
    seen.add(key);
    report.collections++;
    try {
      const result = await applyRetention(this.store, collection, policy, { dryRun: false, now: this.now() });
      if (result.deleted.length === 0) return;
      report.versionsDeleted += result.deleted.length;
      report.bytesFreed += result.bytesFreed;
      this.log(
        `artifact retention deleted ${key}:${result.deleted.join(",")} (${result.bytesFreed} bytes for garbage collection to free)`,
      );
    } catch (error) {
      report.failures++;
      this.log(`artifact retention of ${key} failed: ${messageOf(error)}`);
    }
  }

  /** The live collections a policy names (`*` parts listed from the store). */
  private async collectionsOf(policy: ScheduledRetentionPolicy): Promise<CollectionRef[]> {
    const [entity = "", project = "", name = ""] = policy.collection.split("/");
    const entities = entity === "*" ? (await this.store.listEntities()).map((e) => e.name) : [entity];
    const found: CollectionRef[] = [];
    for (const e of entities) {
      const projects = project === "*" ? (await this.store.listProjects(e)).map((p) => p.name) : [project];
      for (const p of projects) {
        const listed = await this.store.artifacts.listCollections(e, p, policy.type);
        for (const c of listed)
          if ((name === "*" || c.name === name) && c.latest !== null)
            found.push({ entity: e, project: p, name: c.name });
      }
    }
    return found;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
