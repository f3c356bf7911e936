/**
 * The run's tags as chips: × removes one, Enter in the input adds (commas add several). Each
 * change PATCHes the whole list; the chips change at once and a refused change comes back with
 * the reason (and the typed text, for an add).
 */
import { addTags, removeTag } from "../../lib/run-edit.js";
import { ChipListEditor, type ChipAdd } from "../ChipListEditor.js";
import type { SaveRun } from "./useRunEditor.js";

export function TagEditor({ tags, save }: { tags: string[]; save: SaveRun }) {
  const add = (typed: string): ChipAdd => {
    const edit = addTags(tags, typed);
    return edit.ok ? { ok: true, chips: edit.tags, giveBack: typed } : edit;
  };
  return (
    <ChipListEditor
      chips={tags}
      noun="tag"
      inputLabel="Add a tag (Enter)"
      add={add}
      remove={(tag) => removeTag(tags, tag)}
      save={(next) => save({ tags: next })}
    />
  );
}
