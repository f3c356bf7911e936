/**
 * A table column's type, inferred from its cells as they are stored: `number`, `string`,
 * `boolean`, `json` (arrays and plain objects), `media` (objects with a `_type`, with the type
 * when all agree), `null` (no value yet) or `mixed` (several of these). Nulls fit any type.
 */
import type { TableColumn } from "@stepwise/protocol";

export type CellKind = "number" | "string" | "boolean" | "json" | "media" | "null";

export function cellKind(cell: unknown): CellKind {
  if (cell === null || cell === undefined) return "null";
  switch (typeof cell) {
    case "number":
    case "bigint":
      return "number";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    default:
      return typeof cell === "object" &&
        !Array.isArray(cell) &&
        typeof (cell as { _type?: unknown })._type === "string"
        ? "media"
        : "json";
  }
}

export class ColumnTyping {
  private type: TableColumn["type"] = "null";
  private mediaType: string | null | undefined;

  constructor(readonly name: string) {}

  add(cell: unknown): void {
    const kind = cellKind(cell);
    if (kind === "null") return;
    if (kind === "media") {
      const type = (cell as { _type: string })._type;
      this.mediaType = this.mediaType === undefined || this.mediaType === type ? type : null;
    }
    if (this.type === "null") this.type = kind;
    else if (this.type !== kind) this.type = "mixed";
  }

  column(): TableColumn {
    const column: TableColumn = { name: this.name, type: this.type };
    if (this.type === "media" && typeof this.mediaType === "string") column.mediaType = this.mediaType;
    return column;
  }
}

/** Column names as stored: the logged names as text; a missing or repeated name gets a suffix. */
export function columnNames(logged: readonly unknown[]): string[] {
  const seen = new Set<string>();
  return logged.map((value, i) => {
    let name =
      typeof value === "string"
        ? value
        : typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : `column_${i}`;
    if (name.length === 0) name = `column_${i}`;
    const base = name;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}
