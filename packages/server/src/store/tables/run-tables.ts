/**
 * A run's tables: which versions each table key has (from the `table-file` history values) and
 * in which state (stored and queryable, still waiting for its file, or not a table), and the
 * stored table of one version, ready for queries. The file may arrive before or after the
 * history row: a version is looked up by its run file path whenever it is asked for. Listing a
 * run's tables starts storing the latest version of each key, so the first page comes sooner.
 */
import {
  CorruptDataError,
  NotFoundError,
  StoreCorruptError,
  type RunRef,
  type TablePage,
  type TableVersion,
} from "@stepwise/protocol";
import type { Store } from "../store.js";
import type { TableVersionRecord } from "../structured-store.js";
import { isDamage, type TableLibrary } from "./table-library.js";
import type { TablePlan } from "../../domain/tables/table-query-plan.js";
import type { TableReader } from "./table-reader.js";

type RowsPage = Extract<TablePage, { kind: "rows" }>;
type GroupsPage = Extract<TablePage, { kind: "groups" }>;

export interface OpenTable {
  version: TableVersionRecord;
  reader: TableReader;
  /** The stored table's content id (the table file's sha256). */
  sha256: string;
}

export class RunTables {
  private nextScan = 1;
  constructor(
    private readonly store: Store,
    private readonly library: TableLibrary,
  ) {}

  /**
   * Runs a read of an open table; a damaged stored table is deleted (the next query stores it
   * again from the table file) and reported as STORE_CORRUPT naming it.
   */
  async read<T>(table: OpenTable, work: () => T | Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isDamage(error)) throw error;
      await this.library.discard(table.sha256);
      throw new StoreCorruptError(
        `the stored copy of table ${JSON.stringify(table.version.key)} (step ${table.version.step}) was damaged and has been removed; ask again and it is stored anew from the run's table file`,
        { item: table.version.path, where: table.sha256 },
      );
    }
  }

  /** A page of rows, read on a table read worker (damage handled as in `read`). */
  page(table: OpenTable, plan: TablePlan): Promise<Pick<RowsPage, "matchedRows" | "rows">> {
    const ref = this.library.storedRef(table.sha256, table.reader);
    return this.read(
      table,
      () =>
        this.library.reads.read(ref, { op: "page", table: ref, plan }) as Promise<
          Pick<RowsPage, "matchedRows" | "rows">
        >,
    );
  }

  /** A page of groups, read on a table read worker. */
  groups(
    table: OpenTable,
    plan: TablePlan,
  ): Promise<Pick<GroupsPage, "matchedRows" | "groupCount" | "groups">> {
    const ref = this.library.storedRef(table.sha256, table.reader);
    return this.read(
      table,
      () =>
        this.library.reads.read(ref, { op: "groups", table: ref, plan }) as Promise<
          Pick<GroupsPage, "matchedRows" | "groupCount" | "groups">
        >,
    );
  }

  /**
   * Every matching row in order, in pages of 10,000 read on a table read worker (on a connection
   * of its own); `close` ends the read early.
   */
  scan(table: OpenTable, plan: TablePlan): { pages: AsyncIterator<unknown[][]>; close: () => void } {
    const ref = this.library.storedRef(table.sha256, table.reader);
    const reads = this.library.reads;
    const scan = this.nextScan++;
    let opened: Promise<unknown> | null = null;
    let done = false;
    return {
      pages: {
        async next(): Promise<IteratorResult<unknown[][]>> {
          if (done) return { done: true, value: undefined };
          opened ??= reads.read(ref, { op: "scan-open", table: ref, plan, scan });
          await opened;
          const page = (await reads.read(ref, { op: "scan-next", scan })) as unknown[][] | null;
          if (page === null) done = true;
          return page === null ? { done: true, value: undefined } : { done: false, value: page };
        },
      },
      close: () => {
        if (done || opened === null) return;
        done = true;
        reads.read(ref, { op: "scan-close", scan }).catch(() => undefined);
      },
    };
  }

  /** Every table key of the run with its versions; null for an unknown run. */
  async list(ref: RunRef): Promise<Array<{ key: string; versions: TableVersion[] }> | null> {
    const records = await this.store.structured.listTableVersions(ref);
    if (records === null) return null;
    const byKey = new Map<string, TableVersion[]>();
    for (const record of records) {
      const versions = byKey.get(record.key) ?? [];
      versions.push(await this.describe(ref, record));
      byKey.set(record.key, versions);
    }
    // The latest version of each key is what a table panel asks for first: store it now.
    for (const versions of byKey.values()) {
      const latest = versions[versions.length - 1];
      if (latest?.state === "ready" && latest.sha256 !== null) this.library.prepare(latest.sha256);
    }
    return [...byKey].map(([key, versions]) => ({ key, versions }));
  }

  /** The stored table logged under `key` at `step` (default: the latest step). */
  async open(ref: RunRef, key: string, step: number | undefined): Promise<OpenTable> {
    const versions = (await this.store.structured.listTableVersions(ref, key)) ?? [];
    const where = `run '${ref.entity}/${ref.project}/${ref.runId}'`;
    if (versions.length === 0)
      throw new NotFoundError(
        `key: ${where} has no table logged under ${JSON.stringify(key)}; 'stepwise tables ls ${ref.entity}/${ref.project}/${ref.runId}' (GET …/tables) lists its table keys`,
      );
    const version =
      step === undefined ? versions[versions.length - 1] : versions.find((v) => v.step === step);
    if (version === undefined) {
      const steps = versions.slice(0, 20).map((v) => v.step);
      throw new NotFoundError(
        `step: table ${JSON.stringify(key)} of ${where} has no version at step ${step}; its steps: ${steps.join(", ")}${versions.length > 20 ? ", …" : ""}`,
      );
    }
    const file = await this.store.getFile(ref, version.path);
    if (file === null)
      throw new NotFoundError(
        `the file ${version.path} of table ${JSON.stringify(key)} (step ${version.step}) has not been uploaded to ${where} yet; it follows the history row, retry shortly (or run \`stepwise sync\` where the run was logged)`,
      );
    const state = await this.library.table(file.sha256);
    if (state === null)
      throw new NotFoundError(
        `the file ${version.path} of ${where} is recorded but its content is missing; upload it again`,
      );
    if (state.kind === "invalid")
      throw new CorruptDataError(
        `the file ${version.path} of table ${JSON.stringify(key)} is not a table: ${state.problem}`,
      );
    return { version, reader: state.reader, sha256: file.sha256 };
  }

  private async describe(ref: RunRef, record: TableVersionRecord): Promise<TableVersion> {
    const version: TableVersion = {
      step: record.step,
      path: record.path,
      sha256: record.sha256,
      rows: record.rows,
      columns: record.columns,
      state: "ready",
    };
    const file = await this.store.getFile(ref, record.path);
    if (file === null) return { ...version, state: "waiting-for-file" };
    version.sha256 = file.sha256;
    const problem = await this.library.problem(file.sha256);
    return problem === null ? version : { ...version, state: "invalid", problem };
  }
}
