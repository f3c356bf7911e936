/**
 * A run: the unit of tracking. `log()` validates, commits rows through the step state machine,
 * updates the summary and hands the encoded record to the log writer — it never waits for the
 * disk. `finish()` commits the last row, records the exit, closes the log and prints the footer.
 */
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { nameProblem, notesProblem, UsageError, type RunRecord } from "@stepwise/protocol";
import type { ConfigView } from "../config/run-config.js";
import { checkLogOptions, normalizeLogData } from "../history/normalize-log-data.js";
import { StepCommitter } from "../history/step-committer.js";
import type { WriterClose } from "../runlog/run-log-writer.js";
import type { DefineMetricOptions } from "../summary/summary-engine.js";
import type { SummaryView } from "../summary/run-summary.js";
import { fileStatus, readSyncStatus, type RunSyncStatus } from "./sync-status.js";
import { planSave, type SaveOptions } from "./run-save.js";
import { removeResumeFile } from "../resume/resume-file.js";
import { checkTagList } from "./run-tags.js";
import { restoreRunFile, type RestoreOptions } from "./run-restore.js";
import { RunAlerts, type AlertOptions } from "../alerts/run-alerts.js";
import { watcherOf, type WatchOptions } from "../watch/model-watcher.js";
import { RunEmbed } from "../embed/run-embed-part.js";
import { RunArtifactMethods } from "./run-artifact-methods.js";
import { reportFinish } from "./finish-report.js";
import type { EmbedOptions, EmbedUrlOptions } from "../embed/run-embed.js";
import type { FinishOptions, LogOptions, MetricDefinition, RunParts } from "./run-parts.js";

/** Longest finish() waits for metadata.json and diff.patch to be gathered (git, nvidia-smi). */
const GATHER_WAIT_MS = 5000;

export type { FinishOptions, LogOptions, MetricDefinition, RunParts } from "./run-parts.js";

export class Run extends RunArtifactMethods {
  readonly id: string;
  readonly project: string;
  readonly entity: string;
  readonly group: string;
  readonly jobType: string;
  readonly dir: string;
  readonly startTime: number;
  readonly startingStep: number;
  readonly resumed: boolean;
  readonly offline: boolean;
  readonly disabled: boolean;
  readonly summary: SummaryView;
  readonly config: ConfigView;
  private currentName: string;
  private currentTags: string[];
  private currentNotes: string;
  private readonly parts: RunParts;
  private readonly committer: StepCommitter;
  /** performance.now() at which the run's `_runtime` was 0 (earlier for a resumed run). */
  private readonly clockStart: number;
  private finishedFlag = false;
  private finishing: Promise<void> | null = null;
  private stage: "running" | "recorded" | "closed" = "running";
  private readonly alerts = new RunAlerts();
  private readonly embed: RunEmbed;

  constructor(parts: RunParts) {
    super(parts);
    this.parts = parts;
    this.id = parts.id;
    this.clockStart = performance.now() - parts.inheritedRuntime * 1000;
    this.project = parts.project;
    this.entity = parts.entity;
    this.group = parts.group;
    this.jobType = parts.jobType;
    this.dir = parts.dir;
    this.startTime = parts.startTime;
    this.startingStep = parts.startingStep;
    this.resumed = parts.resumed;
    this.offline = parts.mode === "offline";
    this.disabled = parts.mode === "disabled";
    this.summary = parts.summary;
    this.config = parts.config;
    this.currentName = parts.name;
    this.currentTags = parts.tags;
    this.currentNotes = parts.notes;
    this.committer = new StepCommitter(
      parts.startingStep,
      (row, step) => this.commitRow(row, step),
      (message) => parts.terminal.warn(message),
    );
    const onServer = !this.offline && !this.disabled;
    this.embed = new RunEmbed({
      connection: onServer ? { baseUrl: parts.baseUrl, apiKey: parts.apiKey ?? null } : null,
      ref: { entity: this.entity, project: this.project, runId: this.id },
      warnOnce: (cause, message) => parts.terminal.warnOnce(cause, message),
    });
    // With a key, the embed token toHtml() will use is asked for now, in the background.
    this.embed.start();
  }

  get name(): string {
    return this.currentName;
  }
  set name(name: string) {
    this.assertActive("name");
    if (typeof name !== "string" || name.trim() === "")
      throw new UsageError("run.name must be a non-empty string");
    const problem = nameProblem("name", name);
    if (problem !== null) throw new UsageError(`run.name ${problem}`);
    this.currentName = name;
    this.record({ t: "run-update", name });
  }
  get tags(): readonly string[] {
    return this.currentTags;
  }
  set tags(tags: readonly string[]) {
    this.assertActive("tags");
    const problem = checkTagList(tags);
    if (problem !== null) throw new UsageError(problem);
    this.currentTags = [...new Set(tags)];
    this.record({ t: "run-update", tags: this.currentTags });
  }
  get notes(): string {
    return this.currentNotes;
  }
  set notes(notes: string) {
    this.assertActive("notes");
    const problem = notesProblem(notes);
    if (problem !== null) throw new UsageError(`run.notes ${problem}`);
    this.currentNotes = notes;
    this.record({ t: "run-update", notes });
  }
  /** `entity/project/id`. */
  get path(): string {
    return `${this.entity}/${this.project}/${this.id}`;
  }
  /** The step the next implicit row gets. */
  get step(): number {
    return this.committer.current;
  }
  /** The run's page on the server, each name percent-encoded (spaces, non-ASCII); null offline or disabled. */
  get url(): string | null {
    const project = this.getProjectUrl();
    return project === null ? null : `${project}/runs/${encodeURIComponent(this.id)}`;
  }
  getUrl(): string | null {
    return this.url;
  }
  getProjectUrl(): string | null {
    if (this.offline || this.disabled) return null;
    return `${this.parts.baseUrl}/${encodeURIComponent(this.entity)}/${encodeURIComponent(this.project)}`;
  }
  /** The run's sweep page: always null, as W&B's `get_sweep_url()` is for a run without a sweep (Stepwise has no sweeps). */
  getSweepUrl(): string | null {
    return null;
  }

  /**
   * Logs a dict of values at the current step (W&B reference §2). Synchronous, microseconds:
   * it never waits for disk or network. Throws InvalidDataError (nothing kept) for values that
   * cannot be stored, UsageError after finish() (nothing of that call is kept: W&B warns and
   * drops it; an exception here says so where the mistake is).
   */
  log(data: Record<string, unknown>, options?: LogOptions): void {
    this.assertActive("log");
    checkLogOptions(options);
    const row = normalizeLogData(data);
    if (this.disabled) {
      this.summary.update(row);
      return;
    }
    delete row["_step"];
    if (row["_timestamp"] === undefined) row["_timestamp"] = Date.now() / 1000;
    this.committer.accept(row, options?.step, options?.commit);
  }

  /** Declares how a metric is summarised and charted (W&B reference §3.3–3.5). */
  defineMetric(name: string, options?: DefineMetricOptions): MetricDefinition {
    this.assertActive("defineMetric");
    return this.parts.engine.defineMetric(name, options);
  }

  /** How much of the run the server has acknowledged (the log is flushed first). */
  async status(): Promise<RunSyncStatus> {
    await this.parts.writer?.flush();
    return readSyncStatus({
      mode: this.parts.mode,
      runDir: this.dir,
      logFile: this.parts.writer?.file ?? null,
      reachable: this.parts.uploader?.reachable ?? null,
      disk: this.parts.writer?.diskReport() ?? null,
      files: fileStatus(this.parts.files, this.parts.uploader),
    });
  }

  /**
   * Uploads files matching `glob` with the run (W&B's `wandb.save`; run-save.ts): expanded now,
   * kept under their path relative to `basePath` (default: the working directory; one folder
   * level for an absolute path). `policy`: `live` (default) now and whenever the file changes,
   * `now` once, `end` at finish. Returns the paths in the run; a glob matching nothing warns
   * once and returns []. Records the files in the run log and returns: the upload worker
   * hashes and sends them (offline: `stepwise sync`). A disabled run returns [].
   */
  save(glob: string, options?: SaveOptions): string[] {
    this.assertActive("save");
    const files = this.parts.files;
    if (files === null) return [];
    const plan = planSave(glob, options, process.cwd());
    if (plan.warning !== null) this.parts.terminal.warnOnce(plan.warning.cause, plan.warning.message);
    for (const file of plan.files) files.recordLocal(file.path, file.local, plan.policy);
    return plan.files.map((file) => file.path);
  }

  /**
   * Downloads a file of this run, or of the run at `runPath` (`entity/project/runId`), into the
   * run directory's `files/` folder (or `root`), W&B's `wandb.restore`; a file already there is
   * kept unless `replace`. Resolves to the local path, or null when the run has no such file.
   * NotFoundError: no such run; StepwiseError UNAVAILABLE: the server cannot be reached;
   * UsageError: an offline run without `runPath`. A disabled run resolves to null. See run-restore.ts.
   */
  restore(name: string, options: RestoreOptions = {}): Promise<string | null> {
    const ref = { entity: this.entity, project: this.project, runId: this.id };
    const target = { baseUrl: this.parts.baseUrl, apiKey: this.parts.apiKey ?? null };
    return restoreRunFile(
      { mode: this.parts.mode, ref, filesDir: join(this.dir, "files"), target },
      name,
      options,
    );
  }

  /**
   * Sends an alert (W&B's `run.alert`) to the destinations the server's operator configured
   * (alerts/run-alerts.ts): recorded in the run log, uploaded like every other record. The same
   * title is not sent again within `waitDurationMs`. InvalidDataError for a bad title (1–63
   * characters), text or level; does nothing in a disabled run once the arguments are checked.
   */
  alert(options: AlertOptions): void {
    this.assertActive("alert");
    const record = this.alerts.accept(options, this.step);
    if (record !== null && !this.disabled) this.record(record);
  }

  /**
   * Watches a TensorFlow.js LayersModel (W&B's `run.watch`; watch/model-watcher.ts): histograms of
   * each layer's weights (`parameters/<layer>`) and gradients (`gradients/<layer>`) every `logFreq`
   * batches counted by `stepwise.tfjs.callback()` or `stepwise.tfjs.logGradients()`. UsageError
   * for something that is not a model.
   */
  watch(model: unknown, options?: WatchOptions): void {
    this.assertActive("watch");
    watcherOf(this).watch(model, options);
  }

  /** Stops watching `model`, or every watched model. */
  unwatch(model?: unknown): void {
    watcherOf(this).unwatch(model);
  }

  /**
   * An iframe of the run's read-only view on the server (summary and charts; embed/run-embed.ts),
   * for notebooks and any web page. Its URL carries the newest embed token the run holds: one
   * is asked for when the run starts (valid 7 days); `await run.embedUrl({ ttlSeconds })` gets a
   * fresh one first. An offline or disabled run gives a note instead.
   */
  toHtml(options: EmbedOptions = {}): string {
    return this.embed.toHtml(options);
  }

  /**
   * The URL of the run's embeddable view with a fresh embed token (`ttlSeconds`, default 7
   * days, at most 30), which later `toHtml()` calls use too. An unreachable or older server
   * gives the URL without a token, with a warning; an offline or disabled run throws UsageError.
   */
  embedUrl(options: EmbedUrlOptions = {}): Promise<string> {
    return this.embed.embedUrl(options);
  }

  /** Shows toHtml() in a notebook (tslab, Deno Jupyter) and returns true; elsewhere false. */
  display(options?: EmbedOptions): boolean {
    return this.embed.display(options);
  }

  /** The run's project (W&B's `run.project_name()`). */
  projectName(): string {
    return this.project;
  }

  /** Deprecated alias of finish() (W&B's `run.join()`); warns once. */
  join(options: FinishOptions = {}): Promise<void> {
    this.parts.terminal.warnOnce("run.join", "run.join() is deprecated: use run.finish() (same behaviour).");
    return this.finish(options);
  }

  /**
   * Tells the server the run is about to be preempted (its state becomes `preempting`); sent
   * at once, whatever the training loop does. Does nothing offline or disabled.
   */
  markPreempting(): void {
    this.parts.uploader?.markPreempting();
  }

  /** Finishes the run: idempotent; later calls return the first call's promise. */
  finish(options: FinishOptions = {}): Promise<void> {
    this.finishing ??= this.finishAsync(options.exitCode ?? 0);
    return this.finishing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.finish();
  }

  /** Synchronous finish for process exit: completes whatever stage an async finish() reached. */
  finishSync(exitCode: number): void {
    this.recordExit(exitCode);
    if (this.stage === "recorded") {
      const closed = this.parts.writer?.closeSync(this.parts.finishTimeoutMs) ?? "complete";
      // The log is final here: the uploader stops at its end when it lacks records (or its exit).
      this.parts.uploader?.finishSync(this.parts.finishTimeoutMs, closed === "complete");
      this.completeFinish(closed, exitCode);
    }
  }

  private async finishAsync(exitCode: number): Promise<void> {
    // metadata.json and diff.patch (gathered since init, usually long done) go with the run.
    if (!this.finishedFlag) await this.parts.files?.whenGathered(GATHER_WAIT_MS);
    // Artifacts being sealed go into the log before its exit record.
    if (!this.finishedFlag) await this.artifacts.settled();
    this.recordExit(exitCode);
    const closed = (await this.parts.writer?.close(this.parts.finishTimeoutMs)) ?? "complete";
    if (this.stage === "recorded")
      await this.parts.uploader?.finish(this.parts.finishTimeoutMs, closed === "complete");
    if (this.stage === "recorded") this.completeFinish(closed, exitCode);
    this.artifactsAtEnd((message) => this.parts.terminal.warn(message));
  }

  private recordExit(exitCode: number): void {
    if (this.finishedFlag) return;
    this.finishedFlag = true;
    if (this.disabled) {
      this.stage = "closed";
      this.parts.onFinished();
      return;
    }
    this.committer.commitPending();
    this.parts.surroundings?.stop();
    // The last config.json and summary.json: before the exit record, so the upload sends them.
    this.parts.files?.close();
    this.record({ t: "summary-snapshot", summary: this.parts.engine.toJSON() });
    this.record({ t: "exit", exitCode, runtime: this.runtime(), time: Date.now() / 1000 });
    this.stage = "recorded";
  }

  private completeFinish(closed: WriterClose, exitCode: number): void {
    this.stage = "closed";
    // W&B §1.10: a run that ends well needs no resuming.
    if (exitCode === 0) removeResumeFile(this.parts.rootDir);
    reportFinish(this.parts, closed, this.offline);
    this.parts.onFinished();
  }

  private commitRow(row: Record<string, unknown>, step: number): void {
    row["_runtime"] = this.runtime();
    row["_step"] = step;
    this.parts.engine.observeRow(row);
    this.parts.writer?.appendHistoryRow(row);
  }

  private runtime(): number {
    return (performance.now() - this.clockStart) / 1000;
  }

  private record(record: RunRecord): void {
    this.parts.writer?.append(record);
  }

  protected assertActive(method: string): void {
    if (this.finishedFlag) {
      throw new UsageError(
        `Run (${this.id}) is finished: \`${method}\` cannot change it, and nothing of this call was kept. ` +
          "Call it before finish(), or start a new run with init().",
      );
    }
  }

  /** Used by summary/config to refuse writes after finish. */
  checkActive = (method: string): void => this.assertActive(method);
}
