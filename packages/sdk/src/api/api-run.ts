/**
 * One run on a server, as `api.run("entity/project/runId")` returns it: its fields, its sampled
 * and its exact history, summary and metadata writes, and its files.
 */
import {
  apiPaths,
  runDtoSchema,
  fileListResponseSchema,
  type RunDto,
  type RunRef,
  type RunState,
  type UpdateRunBody,
  type ConsoleLinesResponse,
  type SystemMetricsResponse,
  type TableListResponse,
} from "@stepwise/protocol";
import { uploadLocalFile, type LocalUploadOptions } from "../files/upload-local-file.js";
import { ApiFile } from "./api-file.js";
import type { ApiHttp } from "./api-http.js";
import { ApiTable, listTables } from "./api-table.js";
import { apiRunSummary, type ApiRunSummary } from "./api-run-summary.js";
import { historyBytes, sampledHistory, type HistoryOptions } from "./run-history.js";
import { scanHistory, type ScanHistoryOptions } from "./scan-history.js";
import {
  consoleLines,
  systemMetrics,
  type ConsoleLinesOptions,
  type SystemMetricsOptions,
} from "./run-surroundings.js";

/** `name`: the path in the run (default: the local file's name); progress, abort and content type as the file client takes them. */
export type RunUploadOptions = LocalUploadOptions;

export class ApiRun {
  readonly entity: string;
  readonly project: string;
  readonly id: string;
  /** Settable; written by `update()`. */
  name: string;
  tags: string[];
  notes: string;
  readonly summary: ApiRunSummary;
  readonly #http: ApiHttp;
  #dto: RunDto;

  constructor(http: ApiHttp, dto: RunDto) {
    this.#http = http;
    this.#dto = dto;
    this.entity = dto.entity;
    this.project = dto.project;
    this.id = dto.id;
    this.name = dto.name;
    this.tags = [...dto.tags];
    this.notes = dto.notes;
    this.summary = apiRunSummary({ ...dto.summary }, (changes) => this.#writeSummary(changes));
  }

  /** `entity/project/runId`. */
  get path(): string {
    return `${this.entity}/${this.project}/${this.id}`;
  }
  get ref(): RunRef {
    return { entity: this.entity, project: this.project, runId: this.id };
  }
  get state(): RunState {
    return this.#dto.state;
  }
  get config(): Record<string, unknown> {
    return this.#dto.config;
  }
  get group(): string {
    return this.#dto.group;
  }
  get jobType(): string {
    return this.#dto.jobType;
  }
  /** Unix seconds. */
  get createdAt(): number {
    return this.#dto.createdAt;
  }
  /** Unix seconds of the server's last word from the run. */
  get heartbeatAt(): number {
    return this.#dto.heartbeatAt;
  }
  get finishedAt(): number | null {
    return this.#dto.finishedAt;
  }
  get exitCode(): number | null {
    return this.#dto.exitCode;
  }
  /** The largest `_step` stored; null before the first row. */
  get lastStep(): number | null {
    return this.#dto.lastStep;
  }
  /** History rows stored. */
  get historyRows(): number {
    return this.#dto.offsets.history;
  }
  /** Everything the server returned for the run, as it returned it. */
  get raw(): RunDto {
    return this.#dto;
  }

  /**
   * Sampled rows for charts and quick looks, W&B's `run.history()`: at most `samples` rows per
   * key, each a bucket's last logged value at the bucket's x; exact rows when the run has no
   * more rows than `samples`. See run-history.ts.
   */
  history(options: HistoryOptions = {}): Promise<Array<Record<string, unknown>>> {
    return sampledHistory(this.#http, this.ref, this.historyRows, this.summary.toJSON(), options);
  }

  /** The run's system metrics samples (W&B's `history(stream="system")`), averaged into at most `samples`. */
  systemMetrics(options: SystemMetricsOptions = {}): Promise<SystemMetricsResponse> {
    return systemMetrics(this.#http, this.ref, options);
  }

  /** The run's console lines (its output.log): a page from `offset`, or the `tail`; search and stream filter. */
  consoleLines(options: ConsoleLinesOptions = {}): Promise<ConsoleLinesResponse> {
    return consoleLines(this.#http, this.ref, options);
  }

  /** The table logged under `key` (at `step`; default the latest): `query()` pages, `export()` files. */
  table(key: string, options: { step?: number } = {}): ApiTable {
    return new ApiTable(this.#http, this.ref, key, options.step);
  }

  /** The run's table keys, each with its versions (the steps it was logged at). */
  tables(): Promise<TableListResponse["tables"]> {
    return listTables(this.#http, this.ref);
  }

  /** Every row, unsampled, as logged (NaN and ±Infinity kept), streamed: `for await (const row of r.scanHistory())`. */
  scanHistory(options: ScanHistoryOptions = {}): AsyncGenerator<Record<string, unknown>> {
    return scanHistory(this.#http, this.ref, options);
  }

  /**
   * The server's own rendering of the whole history, unsampled, as it streams: `ndjson`
   * (extended JSON lines), `csv` or `parquet` bytes, e.g. to write to a file.
   */
  historyBytes(
    format: "ndjson" | "csv" | "parquet",
    options: Omit<ScanHistoryOptions, "pageSize"> = {},
  ): AsyncGenerator<Uint8Array> {
    return historyBytes(this.#http, this.ref, format, options);
  }

  /** Writes name, tags, notes (when changed) and summary keys set since the last write. */
  async update(): Promise<void> {
    const body: UpdateRunBody = {};
    if (this.name !== this.#dto.name) body.name = this.name;
    if (!sameList(this.tags, this.#dto.tags)) body.tags = [...this.tags];
    if (this.notes !== this.#dto.notes) body.notes = this.notes;
    const pending = this.summary.takePending();
    if (Object.keys(pending).length > 0) body.summary = pending;
    if (Object.keys(body).length === 0) return;
    try {
      this.#adopt(await this.#patch(body));
    } catch (error) {
      this.summary.restorePending(pending);
      throw error;
    }
  }

  /** Re-reads the run from the server (state, summary, lastStep…); unsaved local edits are kept. */
  async refresh(): Promise<void> {
    this.#adopt(await this.#http.json("GET", apiPaths.run(this.ref), runDtoSchema));
  }

  /** Asks the run's process to stop; it sees the request in its next upload. */
  async stop(): Promise<void> {
    this.#adopt(await this.#patch({ stop: true }));
  }

  async files(): Promise<ApiFile[]> {
    const { files } = await this.#http.json("GET", apiPaths.files(this.ref), fileListResponseSchema);
    return files.map((file) => new ApiFile(this.#http, this.ref, file));
  }

  /** A handle on one file by its path in the run; `download()` fails with NotFoundError if there is none. */
  file(name: string): ApiFile {
    return new ApiFile(this.#http, this.ref, { path: name });
  }

  /**
   * Uploads a local file to this run as `name` (default: the file's own name) and resolves to it
   * as stored. Content the server holds already (any run's) is not sent again; a large file goes
   * in parts and an interrupted upload resumes where the server's copy ends (two more tries after
   * a network or server failure). FileChangedError if the file changes while it is sent;
   * NotFoundError if the local file is missing.
   */
  async upload(localPath: string, options: RunUploadOptions = {}): Promise<ApiFile> {
    const { file } = await uploadLocalFile(this.#http.target, this.ref, localPath, options);
    return new ApiFile(this.#http, this.ref, file);
  }

  toJSON(): Record<string, unknown> {
    return {
      ...this.#dto,
      name: this.name,
      tags: this.tags,
      notes: this.notes,
      summary: this.summary.toJSON(),
    };
  }

  async #writeSummary(changes: Record<string, unknown>): Promise<Record<string, unknown>> {
    const dto = await this.#patch({ summary: changes });
    this.#adopt(dto);
    return dto.summary;
  }

  #patch(body: UpdateRunBody): Promise<RunDto> {
    return this.#http.json("PATCH", apiPaths.run(this.ref), runDtoSchema, { body });
  }

  /** Takes the server's copy; local edits not yet written (name, tags, notes, summary keys) are kept. */
  #adopt(dto: RunDto): void {
    const previous = this.#dto;
    this.#dto = dto;
    if (this.name === previous.name) this.name = dto.name;
    if (sameList(this.tags, previous.tags)) this.tags = [...dto.tags];
    if (this.notes === previous.notes) this.notes = dto.notes;
    this.summary.replace(dto.summary);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
