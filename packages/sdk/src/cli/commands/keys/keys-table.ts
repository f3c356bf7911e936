/** The `stepwise keys ls` table: id, name, entity, admin, created and last used (UTC, minutes). */
import type { ApiKeyDto } from "@stepwise/protocol";
import { textTable } from "../../format/text-table.js";

const HEADER = ["ID", "NAME", "ENTITY", "ADMIN", "CREATED (UTC)", "LAST USED (UTC)"] as const;

export function keysTable(keys: readonly ApiKeyDto[]): string {
  return textTable(HEADER, keys.map(keyCells));
}

function keyCells(key: ApiKeyDto): string[] {
  return [
    key.id,
    key.name,
    key.entity,
    key.admin ? "yes" : "no",
    utcMinute(key.createdAt),
    key.lastUsedAt === null ? "never" : utcMinute(key.lastUsedAt),
  ];
}

function utcMinute(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace("T", " ");
}
