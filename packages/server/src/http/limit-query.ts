/** The `limit` query parameter of a listing: a whole number from 1 to `max`, `fallback` when absent. */
import { InputError } from "./input-error.js";

export function limitQuery(raw: string | undefined, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || limit < 1 || limit > max)
    throw new InputError([{ field: "query.limit", message: `must be a whole number from 1 to ${max}` }]);
  return limit;
}
