/**
 * Checks a table query against the table's columns and resolves every column it names to its
 * place: the filter expression parsed (table-filter.ts in protocol), sort columns, the columns
 * to return and the group column. Anything unknown is an InvalidDataError naming the field, the
 * column and the columns the table has — never a failure later in storage.
 */
import {
  InvalidDataError,
  parseTableFilter,
  type TableColumn,
  type TableFilter,
  type TableFilterComparison,
  type TableFilterScalar,
  type TableQuery,
} from "@stepwise/protocol";

/** A filter whose columns are places in the table (0-based) with their types. */
export type PlannedFilter =
  | { op: "and" | "or"; args: PlannedFilter[] }
  | { op: "not"; arg: PlannedFilter }
  | { op: "cmp"; column: number; cmp: TableFilterComparison; value: TableFilterScalar }
  | { op: "in"; column: number; values: TableFilterScalar[] }
  | { op: "contains"; column: number; value: string }
  | { op: "isNull"; column: number; negate: boolean };

export interface TablePlan {
  filter: PlannedFilter | null;
  sort: Array<{ column: number; desc: boolean }>;
  /** Columns to return, in order. */
  columns: number[];
  groupBy: number | null;
  offset: number;
  limit: number;
}

export function planTableQuery(
  query: Omit<TableQuery, "key" | "step">,
  schema: readonly TableColumn[],
): TablePlan {
  const places = new Map(schema.map((c, i) => [c.name, i]));
  const place = (name: string, field: string): number => {
    const at = places.get(name);
    if (at === undefined) throw unknownColumn(name, field, schema);
    return at;
  };
  const parsed = parseTableFilter(query.where ?? "");
  if (!parsed.ok)
    throw new InvalidDataError(
      `where: ${parsed.message} (at character ${parsed.column}); write e.g. \`score > 0.5 and label = "cat"\``,
    );
  return {
    filter: parsed.filter === null ? null : resolve(parsed.filter, (name) => place(name, "where")),
    sort: (query.sort ?? []).map((s, i) => ({ column: place(s.column, `sort[${i}].column`), desc: s.desc })),
    columns:
      query.columns === undefined
        ? schema.map((_, i) => i)
        : query.columns.map((name, i) => place(name, `columns[${i}]`)),
    groupBy: query.groupBy === undefined ? null : place(query.groupBy, "groupBy"),
    offset: query.offset,
    limit: query.limit,
  };
}

function resolve(filter: TableFilter, place: (name: string) => number): PlannedFilter {
  switch (filter.op) {
    case "and":
    case "or":
      return { op: filter.op, args: filter.args.map((f) => resolve(f, place)) };
    case "not":
      return { op: "not", arg: resolve(filter.arg, place) };
    default:
      return { ...filter, column: place(filter.column) };
  }
}

function unknownColumn(name: string, field: string, schema: readonly TableColumn[]): InvalidDataError {
  const names = schema.slice(0, 20).map((c) => JSON.stringify(c.name));
  const more = schema.length > 20 ? `, … (${schema.length} in all)` : "";
  return new InvalidDataError(
    `${field}: unknown column ${JSON.stringify(name.slice(0, 200))}; the table's columns are ${names.join(", ")}${more}`,
  );
}
