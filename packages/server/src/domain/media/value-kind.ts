/**
 * The kind of a logged value and the panel it wants: what the key kinds index records for each
 * key, so a key that changed type (numbers, then images) is shown with a warning instead of a
 * panel that breaks on the first value it cannot draw.
 */
import type { PanelKind } from "@stepwise/protocol";

/** `number`, `string`, `boolean`, `array`, the value's `_type`, or null for null/undefined. */
export function valueKind(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "bigint") return "number";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") {
    const type = (value as { _type?: unknown })._type;
    // A `_type` is a W&B type name (`image-file`, `images/separated`); keep it short in the index.
    if (typeof type === "string" && type.length > 0) return type.length > 64 ? type.slice(0, 64) : type;
    return "object";
  }
  return "other";
}

const PANEL_BY_TYPE: Readonly<Record<string, PanelKind>> = {
  number: "chart",
  string: "text",
  boolean: "text",
  "image-file": "image",
  "images/separated": "image",
  "audio-file": "audio",
  audio: "audio",
  "video-file": "video",
  videos: "video",
  "html-file": "html",
  html: "html",
  "molecule-file": "molecule",
  molecule: "molecule",
  "object3D-file": "object3D",
  object3D: "object3D",
  histogram: "histogram",
  "table-file": "table",
  "incremental-table-file": "table",
  "joined-table": "table",
  "partitioned-table": "table",
  "plotly-file": "plot",
  "bokeh-file": "plot",
};

export function panelOf(kind: string): PanelKind {
  return PANEL_BY_TYPE[kind] ?? "other";
}

/** Whether the kinds want more than one panel (the key changed type). */
export function isMixed(kinds: readonly string[]): boolean {
  return new Set(kinds.map(panelOf)).size > 1;
}
