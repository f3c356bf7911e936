/**
 * A logged table on a server, as `run.table(key, { step })` returns it: pages of rows sorted,
 * filtered and grouped by the server (`query`), and every matching row as a CSV or Parquet file
 * (`export`, streamed). `listTables` lists a run's table keys and their versions.
 */
import {
  structuredPaths,
  tableListResponseSchema,
  tablePageSchema,
  type RunRef,
  type TableListResponse,
  type TablePage,
  type TableQueryInput,
} from "@stepwise/protocol";
import type { ApiHttp } from "./api-http.js";

/** What `query` takes: the table query of protocol structured.ts less the key and step. */
export type TableQueryOptions = Omit<TableQueryInput, "key" | "step">;

export interface TableExportOptions {
  format: "csv" | "parquet";
  /** A filter expression (`acc > 0.9 and label = "cat"`). */
  where?: string;
  /** Columns to sort by, in order: `score` ascending, `-score` descending. */
  sort?: readonly string[];
  /** Columns to write (default all), in this order. */
  columns?: readonly string[];
}

export interface TableExport {
  /** The file name the server suggests (`<key>_<step>.<format>`). */
  fileName: string;
  /** The file's bytes as they arrive; read it or cancel it. */
  body: ReadableStream<Uint8Array>;
  /** Reads the whole body. */
  bytes(): Promise<Uint8Array>;
}

export async function listTables(http: ApiHttp, ref: RunRef): Promise<TableListResponse["tables"]> {
  return (await http.json("GET", structuredPaths.tables(ref), tableListResponseSchema)).tables;
}

export class ApiTable {
  constructor(
    private readonly http: ApiHttp,
    private readonly ref: RunRef,
    readonly key: string,
    /** The version asked for; undefined: the latest step. */
    readonly step: number | undefined,
  ) {}

  /** One page of rows (or groups, with `groupBy`), as the server's table panel reads it. */
  async query(options: TableQueryOptions = {}): Promise<TablePage> {
    const body = { ...options, key: this.key, ...(this.step === undefined ? {} : { step: this.step }) };
    return this.http.json("POST", structuredPaths.tableQuery(this.ref), tablePageSchema, { body });
  }

  /** Every matching row as a CSV or Parquet file, streamed from the server. */
  async export(options: TableExportOptions): Promise<TableExport> {
    const params = new URLSearchParams({ key: this.key, format: options.format });
    if (this.step !== undefined) params.set("step", String(this.step));
    if (options.where !== undefined) params.set("where", options.where);
    // Repeated, not comma-joined: a column name may hold a comma.
    for (const column of options.sort ?? []) params.append("sort", column);
    for (const column of options.columns ?? []) params.append("columns", column);
    const response = await this.http.send(
      "GET",
      `${structuredPaths.tableExport(this.ref)}?${params.toString()}`,
      {
        accept: options.format === "csv" ? "text/csv" : "application/vnd.apache.parquet",
      },
    );
    const disposition = response.headers.get("content-disposition") ?? "";
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `table.${options.format}`;
    const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    return {
      fileName,
      body,
      bytes: async () => new Uint8Array(await new Response(body).arrayBuffer()),
    };
  }
}
