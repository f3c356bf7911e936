/**
 * A planned table filter (domain/tables/table-query-plan.ts) as an SQL condition over a stored
 * table (table-builder.ts: column i is `c<i>`, booleans 1/0, objects and arrays JSON BLOBs),
 * values always bound as parameters. `!=` keeps rows whose cell is null; `contains` matches a
 * substring, ASCII letters case-folded; `not` of a test on a null cell is true.
 */
import type { TableFilterScalar } from "@stepwise/protocol";
import type { PlannedFilter } from "../../domain/tables/table-query-plan.js";

export interface SqlCondition {
  sql: string;
  params: Array<number | string | null>;
}

const OPS = { eq: "=", ne: "IS NOT", lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

export function filterSql(filter: PlannedFilter): SqlCondition {
  const params: SqlCondition["params"] = [];
  const sql = compile(filter, params);
  return { sql, params };
}

function compile(f: PlannedFilter, params: SqlCondition["params"]): string {
  switch (f.op) {
    case "and":
    case "or":
      return `(${f.args.map((a) => compile(a, params)).join(f.op === "and" ? " AND " : " OR ")})`;
    case "not":
      return `(NOT coalesce(${compile(f.arg, params)}, 0))`;
    case "isNull":
      return `(c${f.column} IS ${f.negate ? "NOT " : ""}NULL)`;
    case "contains":
      params.push(`%${f.value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      return `(c${f.column} LIKE ? ESCAPE '\\')`;
    case "in": {
      const values = f.values.filter((v) => v !== null).map(bindable);
      params.push(...values);
      const list = `c${f.column} IN (${values.map(() => "?").join(", ")})`;
      const hasNull = f.values.includes(null);
      if (values.length === 0) return hasNull ? `(c${f.column} IS NULL)` : "(0)";
      return hasNull ? `(${list} OR c${f.column} IS NULL)` : `(${list})`;
    }
    case "cmp": {
      if (f.value === null) {
        if (f.cmp === "eq") return `(c${f.column} IS NULL)`;
        if (f.cmp === "ne") return `(c${f.column} IS NOT NULL)`;
        return "(0)";
      }
      params.push(bindable(f.value));
      return `(c${f.column} ${OPS[f.cmp]} ?)`;
    }
  }
}

function bindable(value: Exclude<TableFilterScalar, null>): number | string {
  return typeof value === "boolean" ? (value ? 1 : 0) : value;
}
