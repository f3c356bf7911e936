/**
 * Builds the store's RunListQuery from a list request: the query string of
 * `GET /runs/:entity/:project` (simple filters) or the body of the POST (full filters), with the
 * `select` projection of either.
 */
import {
  RUN_LIST_MAX_SELECT,
  runStateSchema,
  type RunListBody,
  type RunListParams,
} from "@stepwise/protocol";
import type { RunFilter, RunListQuery, RunListSelect } from "../store/store.js";
import { InputError, parseInput } from "./input-error.js";

const PLAIN_ORDER_FIELDS = ["createdAt", "name", "state", "heartbeatAt"] as const;

export function queryFromParams(entity: string, project: string, params: RunListParams): RunListQuery {
  const filters: RunFilter[] = [];
  if (params.state !== undefined) {
    const states = params.state
      .split(",")
      .map((s, i) => parseInput(runStateSchema, s.trim(), `query.state[${i}]`));
    filters.push({ field: "state", op: "in", value: states });
  }
  for (const tag of (params.tags ?? "").split(",").filter((t) => t.length > 0))
    filters.push({ field: "tags", op: "contains", value: tag });
  if (params.group !== undefined) filters.push({ field: "group", op: "eq", value: params.group });
  if (params.jobType !== undefined) filters.push({ field: "jobType", op: "eq", value: params.jobType });
  if (params.name !== undefined) filters.push({ field: "name", op: "contains", value: params.name });
  const query: RunListQuery = { entity, project, filters };
  if (params.sort !== undefined) query.order = parseSort(params.sort);
  if (params.limit !== undefined) query.limit = params.limit;
  if (params.cursor !== undefined) query.cursor = params.cursor;
  if (params.select !== undefined) query.select = parseSelect(params.select);
  return query;
}

export function queryFromBody(entity: string, project: string, body: RunListBody): RunListQuery {
  const query: RunListQuery = { entity, project };
  if (body.filters !== undefined) query.filters = body.filters;
  if (body.order !== undefined) query.order = body.order;
  if (body.limit !== undefined) query.limit = body.limit;
  if (body.cursor !== undefined) query.cursor = body.cursor;
  if (body.select !== undefined)
    query.select = { config: body.select.config ?? [], summary: body.select.summary ?? [] };
  return query;
}

/** `summary.loss,config.opt.lr` → the paths of each side (an empty text selects none). */
function parseSelect(text: string): RunListSelect {
  const select = { config: [] as string[], summary: [] as string[] };
  const entries = text.split(",").filter((entry) => entry.length > 0);
  if (entries.length > RUN_LIST_MAX_SELECT) {
    throw new InputError([{ field: "query.select", message: `names at most ${RUN_LIST_MAX_SELECT} paths` }]);
  }
  for (const entry of entries) {
    const side = (["summary", "config"] as const).find(
      (field) => entry.startsWith(`${field}.`) && entry.length > field.length + 1,
    );
    if (side === undefined) {
      throw new InputError([
        {
          field: "query.select",
          message: `"${entry}": name summary.<path> or config.<path>, comma-separated`,
        },
      ]);
    }
    select[side].push(entry.slice(side.length + 1));
  }
  return select;
}

/** `[-]createdAt|name|state|heartbeatAt` or `[-]summary.<path>` / `[-]config.<path>`. */
function parseSort(sort: string): NonNullable<RunListQuery["order"]> {
  const desc = sort.startsWith("-");
  const name = desc ? sort.slice(1) : sort;
  const plain = PLAIN_ORDER_FIELDS.find((field) => field === name);
  if (plain !== undefined) return { field: plain, desc };
  for (const field of ["summary", "config"] as const)
    if (name.startsWith(`${field}.`) && name.length > field.length + 1)
      return { field, path: name.slice(field.length + 1), desc };
  throw new InputError([
    {
      field: "query.sort",
      message: "must be [-]createdAt, [-]name, [-]state, [-]heartbeatAt, [-]summary.<key> or [-]config.<key>",
    },
  ]);
}
