/**
 * A chart preset's slots, as the server fills them: `${field:<name>}` inside any string of the
 * spec becomes the column bound to the field, `${string:<name>}` the text bound to it. The spec
 * editor previews with these before a preset is saved; once saved the server renders it.
 */

const SLOT = /\$\{(field|string):([A-Za-z0-9_-]{1,64})\}/g;

export interface PresetSlots {
  fields: string[];
  strings: string[];
}

/** The slot names a spec uses, each once, in order of first use. */
export function presetSlots(spec: unknown): PresetSlots {
  const fields = new Set<string>();
  const strings = new Set<string>();
  visitStrings(spec, (text) => {
    for (const match of text.matchAll(SLOT))
      (match[1] === "field" ? fields : strings).add(match[2] as string);
    return text;
  });
  return { fields: [...fields], strings: [...strings] };
}

/** The spec with every slot filled (an unbound field or string becomes ""). */
export function fillPresetSlots(
  spec: Record<string, unknown>,
  fields: Readonly<Record<string, string>>,
  strings: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return visitStrings(spec, (text) =>
    text.replace(
      SLOT,
      (_all, kind: string, name: string) => (kind === "field" ? fields[name] : strings[name]) ?? "",
    ),
  ) as Record<string, unknown>;
}

function visitStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((v) => visitStrings(v, map));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visitStrings(v, map)]));
  }
  return value;
}
