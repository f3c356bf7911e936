/**
 * Checks a user preset before it is saved: its id is not a built-in owner's, and every slot its
 * spec uses (`${field:x}`, `${string:title}`) is declared, so that rendering never meets one it
 * cannot fill; and its spec reaches nothing outside the page (no data URL, no link or image
 * elsewhere: see protocol's vega-spec-safety). Errors name the field and the fix.
 */
import { findUnsafeSpecPart, InvalidDataError, type PresetPutBody } from "@stepwise/protocol";
import { isBuiltinOwner } from "./builtin-presets.js";

const SLOT = /\$\{(field|string):([^}]*)\}/g;

export function checkPresetBody(id: string, body: PresetPutBody): void {
  if (isBuiltinOwner(id))
    throw new InvalidDataError(
      `id: the owner ${JSON.stringify(id.split("/")[0])} is reserved for built-in presets; save it under your entity, e.g. "my-team/${id.split("/")[1] ?? "chart"}"`,
    );
  const unsafe = findUnsafeSpecPart(body.spec);
  if (unsafe !== null) throw new InvalidDataError(`${unsafe.path}: ${unsafe.reason}`);
  const fields = new Set(body.fields.map((f) => f.name));
  const texts = new Set(body.stringFields.map((f) => f.name));
  for (const list of [body.fields, body.stringFields]) {
    const seen = new Set<string>();
    for (const f of list) {
      if (seen.has(f.name)) throw new InvalidDataError(`fields: ${JSON.stringify(f.name)} is declared twice`);
      seen.add(f.name);
    }
  }
  for (const match of JSON.stringify(body.spec).matchAll(SLOT)) {
    const [slot, kind, name = ""] = match;
    const declared = kind === "field" ? fields : texts;
    if (!declared.has(name))
      throw new InvalidDataError(
        `spec: uses ${slot} but ${kind === "field" ? "fields" : "stringFields"} declares no ${JSON.stringify(name)}; add it or remove the slot`,
      );
  }
}
