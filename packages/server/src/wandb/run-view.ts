/**
 * W&B's `Project` and `Run` objects over Stepwise's store, as graphql-js reads them (a field is a
 * property or a method taking the field's arguments). Counts, tails and config are what a resumed
 * client starts from (wire protocol §3.5): each must be present whenever the run exists.
 */
import type { RunRef } from "@stepwise/protocol";
import { assertEntityAccess } from "../auth/principal.js";
import type { RunFilter, RunListQuery, StoredRun } from "../store/store.js";
import type { PageArgs } from "./artifact-page.js";
import { projectInfo } from "./artifact-ids.js";
import { lookupArtifact, lookupCollection, projectCollections, WandbArtifactType } from "./artifact-view.js";
import { runArtifacts } from "./run-artifacts.js";
import { runFiltersOf, runOrderOf } from "./mongo-filters.js";
import {
  filesConnection,
  historyLines,
  sampledHistory,
  type FilesArgs,
  type HistoryArgs,
} from "./run-reads.js";
import { checkedRef, entityOr, numericProjectId, storageId, DEFAULT_PROJECT } from "./run-identity.js";
import { pickKeys, wandbConfigOf, wrapConfig } from "./wandb-config.js";
import type { WandbContext } from "./wandb-context.js";
import { notSupportedYet, WandbInputError } from "./wandb-errors.js";

type Keys = { keys?: readonly string[] | null };
type RunsArgs = { filters?: string | null; order?: string | null };

const iso = (seconds: number | null): string | null =>
  seconds === null ? null : new Date(seconds * 1000).toISOString();

export class WandbProject {
  readonly id: string;
  readonly internalId: string;
  readonly entity: { id: string; name: string };
  readonly readOnly = false;

  constructor(
    readonly entityName: string,
    readonly name: string,
    private readonly ctx: WandbContext,
  ) {
    this.internalId = numericProjectId(entityName, name);
    this.id = this.internalId;
    this.entity = { id: entityName, name: entityName };
  }

  /** The project the arguments name: the viewer's entity and "uncategorized" when left out. */
  static of(
    ctx: WandbContext,
    name: string | null | undefined,
    entityName: string | null | undefined,
  ): WandbProject {
    const entity = entityOr(entityName, ctx.principal.entity);
    assertEntityAccess(ctx.principal, entity);
    const project = name === null || name === undefined || name === "" ? DEFAULT_PROJECT : name;
    return new WandbProject(entity, project, ctx);
  }

  async run(args: { name: string }): Promise<WandbRun | null> {
    return this.bucket(args);
  }

  /** `name`, `name:alias` or `name:vN` (artifact-view.ts). */
  artifact(args: { name: string }) {
    return lookupArtifact(this.ctx, projectInfo(this.entityName, this.name), args.name);
  }
  artifactCollectionMembership(args: { name: string }) {
    return this.artifact(args);
  }
  artifactCollection(args: { name: string }) {
    return lookupCollection(this.ctx, projectInfo(this.entityName, this.name), args.name);
  }
  artifactSequence(args: { name: string }) {
    return this.artifactCollection(args);
  }
  artifactCollections(args: PageArgs) {
    return projectCollections(this.ctx, projectInfo(this.entityName, this.name), null, args);
  }
  artifactType(args: { name: string }) {
    return new WandbArtifactType(projectInfo(this.entityName, this.name), args.name, this.ctx);
  }

  async runCount(args: RunsArgs): Promise<number> {
    return (await this.page({ ...args, first: 1 })).total;
  }

  /** `Api().runs(path, filters=…, order=…)`: a page of runs, W&B's filters and order translated. */
  async runs(args: RunsArgs & { after?: string | null; first?: number | null }) {
    const page = await this.page(args);
    const cursor = page.nextCursor ?? "";
    return {
      edges: page.runs.map((run) => ({
        node: new WandbRun({ entity: this.entityName, project: this.name, runId: run.id }, run, this.ctx),
        cursor,
      })),
      pageInfo: { endCursor: page.nextCursor, hasNextPage: page.nextCursor !== null },
    };
  }

  private async page(args: RunsArgs & { after?: string | null; first?: number | null }) {
    let filters: RunFilter[];
    let order: RunListQuery["order"];
    try {
      filters = runFiltersOf(
        args.filters === null || args.filters === undefined ? null : JSON.parse(args.filters),
      );
      order = runOrderOf(args.order);
    } catch (error) {
      throw new WandbInputError(error instanceof Error ? error.message : String(error));
    }
    return this.ctx.deps.store.listRuns({
      entity: this.entityName,
      project: this.name,
      filters,
      ...(order === undefined ? {} : { order }),
      limit: Math.min(1000, Math.max(1, args.first ?? 50)),
      ...(typeof args.after === "string" && args.after !== "" ? { cursor: args.after } : {}),
    });
  }

  async bucket(args: { name: string }): Promise<WandbRun | null> {
    const ref = checkedRef({ entity: this.entityName, project: this.name, runId: args.name });
    const run = await this.ctx.deps.store.getRun(ref);
    return run === null ? null : new WandbRun(ref, run, this.ctx);
  }
}

export class WandbRun {
  constructor(
    private readonly ref: RunRef,
    private readonly run: StoredRun,
    private readonly ctx: WandbContext,
  ) {}

  get id(): string {
    return storageId(this.ref);
  }
  get name(): string {
    return this.ref.runId;
  }
  get projectId(): string {
    return numericProjectId(this.ref.entity, this.ref.project);
  }
  get project(): WandbProject {
    return new WandbProject(this.ref.entity, this.ref.project, this.ctx);
  }
  get user(): { id: string; name: string; username: string } {
    return { id: this.ref.entity, name: this.ref.entity, username: this.ref.entity };
  }
  get displayName(): string {
    return this.run.name;
  }
  outputArtifacts(args: PageArgs) {
    return runArtifacts(this.ctx, this.ref, "produced", args);
  }
  inputArtifacts(args: PageArgs) {
    return runArtifacts(this.ctx, this.ref, "used", args);
  }
  get description(): string {
    return this.run.notes;
  }
  get notes(): string {
    return this.run.notes;
  }
  get tags(): string[] {
    return this.run.tags;
  }
  get group(): string {
    return this.run.group;
  }
  get jobType(): string {
    return this.run.jobType;
  }
  get commit(): string | null {
    return this.run.gitCommit;
  }
  get host(): string {
    return this.run.host;
  }
  get sweepName(): null {
    return null;
  }
  get state(): string {
    return this.run.state;
  }
  get readOnly(): boolean {
    return false;
  }
  get stopped(): boolean {
    return this.run.stopRequested;
  }
  get exitcode(): number | null {
    return this.run.exitCode;
  }
  get createdAt(): string | null {
    return iso(this.run.createdAt);
  }
  get heartbeatAt(): string | null {
    return iso(this.run.heartbeatAt);
  }
  get updatedAt(): string | null {
    return iso(this.run.heartbeatAt);
  }
  config(args: Keys): string {
    return wrapConfig(this.run.config, args.keys);
  }
  summaryMetrics(args: Keys): string {
    return pickKeys(this.run.summary, args.keys);
  }
  async wandbConfig(args: Keys): Promise<string> {
    // Only RunResumeStatus asks for `t`: the client resuming the run starts its console from here.
    if (args.keys?.includes("t") === true)
      await this.ctx.consoleResume.resuming(this.ref, this.run.offsets.console);
    return wandbConfigOf(this.run.config, args.keys);
  }
  get historyLineCount(): number {
    return this.run.offsets.history;
  }
  get eventsLineCount(): number {
    return this.run.offsets.events;
  }
  get logLineCount(): number {
    return this.run.offsets.console;
  }
  /** The last history line (as stored: extended JSON) in a JSON array, `[]` before the first. */
  async historyTail(): Promise<string> {
    if (this.run.lastStep === null) return "[]";
    let last: string | undefined;
    for await (const page of this.ctx.deps.store.scanHistory(this.ref, { minStep: this.run.lastStep }))
      last = page[page.length - 1] ?? last;
    return JSON.stringify(last === undefined ? [] : [last]);
  }
  async eventsTail(): Promise<string> {
    return JSON.stringify(await this.lastEvents());
  }
  async systemMetrics(): Promise<string> {
    const [last] = await this.lastEvents();
    return last ?? "{}";
  }
  get historyKeys(): { lastStep: number; keys: Record<string, never> } {
    return { lastStep: this.run.lastStep ?? -1, keys: {} };
  }
  history(args: HistoryArgs): Promise<string[]> {
    return historyLines(this.ctx.deps.store, this.ref, args);
  }
  events(): never {
    throw notSupportedYet("Reading system metrics through W&B's API");
  }
  sampledHistory(args: { specs: readonly string[] }): Promise<unknown[][]> {
    return sampledHistory(this.ctx.deps.store, this.ref, args.specs);
  }
  parquetHistory(): { parquetUrls: string[]; liveData: unknown[] } {
    return { parquetUrls: [], liveData: [] };
  }
  files(args: FilesArgs): ReturnType<typeof filesConnection> {
    return filesConnection(this.ctx.deps.store, this.ref, this.ctx.origin, args);
  }
  async fileCount(): Promise<number> {
    return (await this.ctx.deps.store.listFiles(this.ref)).length;
  }

  private async lastEvents(): Promise<string[]> {
    const count = this.run.offsets.events;
    if (count === 0) return [];
    return this.ctx.deps.store.readStream(this.ref, "events", count - 1, 1);
  }
}
