/**
 * Fills a preset's slots: every `${field:<name>}` becomes the bound column (escaped for
 * Vega-Lite where the string is a field reference: `.`, `[` and `]` in a column name are not
 * paths) and every `${string:<name>}` the bound text or the slot's default. An encoding whose
 * field is an optional slot left unbound is dropped (a line preset without `stroke` draws one
 * line). A required slot left unbound, a binding the preset has no slot for, or a column the
 * table does not have is an InvalidDataError naming it.
 */
import { InvalidDataError, type ChartPreset } from "@stepwise/protocol";

export interface PresetBindings {
  /** Slot → column; null or "" leaves an optional slot unbound. */
  fields: Record<string, string | null>;
  stringFields: Record<string, string>;
}

const WHOLE_FIELD = /^\$\{field:([A-Za-z0-9_-]+)\}$/;
const SLOT = /\$\{(field|string):([A-Za-z0-9_-]+)\}/g;

/** `columns`: the table's column names, when known, to check the bound columns against. */
export function renderPreset(
  preset: ChartPreset,
  bindings: PresetBindings,
  columns?: readonly string[],
): Record<string, unknown> {
  const slots = new Map(preset.fields.map((f) => [f.name, f]));
  const texts = new Map(preset.stringFields.map((f) => [f.name, f]));
  const bound = new Map<string, string>();
  for (const [name, column] of Object.entries(bindings.fields)) {
    if (!slots.has(name))
      throw new InvalidDataError(
        `fields.${name}: preset ${preset.id} has no field ${JSON.stringify(name)}; its fields: ${[...slots.keys()].join(", ") || "none"}`,
      );
    if (column === null || column === "") continue;
    if (columns !== undefined && !columns.includes(column))
      throw new InvalidDataError(
        `fields.${name}: the table has no column ${JSON.stringify(column)}; its columns: ${columns.slice(0, 20).join(", ")}`,
      );
    bound.set(name, column);
  }
  for (const slot of preset.fields)
    if (slot.required && !bound.has(slot.name))
      throw new InvalidDataError(`fields.${slot.name}: preset ${preset.id} needs a column for ${slot.name}`);
  for (const name of Object.keys(bindings.stringFields))
    if (!texts.has(name))
      throw new InvalidDataError(
        `stringFields.${name}: preset ${preset.id} has no string field ${JSON.stringify(name)}; its string fields: ${[...texts.keys()].join(", ") || "none"}`,
      );
  const textOf = (name: string): string => bindings.stringFields[name] ?? texts.get(name)?.default ?? "";
  const fill = (value: unknown): unknown => {
    if (typeof value === "string") {
      const whole = WHOLE_FIELD.exec(value);
      if (whole !== null) {
        const column = bound.get(whole[1] as string);
        return column === undefined ? undefined : column.replace(/[.[\]\\]/g, (c) => `\\${c}`);
      }
      return value.replace(SLOT, (_, kind: string, name: string) =>
        kind === "field" ? (bound.get(name) ?? "") : textOf(name),
      );
    }
    if (Array.isArray(value)) return value.map(fill).filter((v) => v !== undefined);
    if (typeof value === "object" && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const filled = fill(v);
        // An encoding whose field slot is unbound goes with it.
        if (filled === undefined) {
          if (k === "field") return undefined;
          continue;
        }
        out[k] = filled;
      }
      return out;
    }
    return value;
  };
  return (fill(preset.spec) ?? {}) as Record<string, unknown>;
}
