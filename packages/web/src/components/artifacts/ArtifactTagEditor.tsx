/**
 * A version's tags as chips: × removes one, Enter adds what was typed (checked with the tag rule
 * logging uses, so a bad one is refused before any request). Each change PUTs the version's
 * whole list; a refused change shows the server's reason and gives the typed text back.
 */
import { artifactTagSchema } from "@stepwise/protocol";
import { ChipListEditor, type ChipAdd } from "../ChipListEditor.js";

export interface ArtifactTagEditorProps {
  tags: readonly string[];
  /** Sets the tags; resolves to the server's refusal, or null once saved. */
  save: (tags: string[]) => Promise<string | null>;
}

export function ArtifactTagEditor({ tags, save }: ArtifactTagEditorProps) {
  const add = (typed: string): ChipAdd => {
    const tag = typed.trim();
    if (tag === "") return null;
    if (tags.includes(tag)) return { ok: false, error: `'${tag}' is already a tag of this version` };
    const checked = artifactTagSchema.safeParse(tag);
    if (!checked.success) return { ok: false, error: checked.error.issues[0]?.message ?? "not a valid tag" };
    return { ok: true, chips: [...tags, tag], giveBack: tag };
  };
  return (
    <ChipListEditor
      chips={tags}
      noun="tag"
      inputLabel="Add a tag (Enter)"
      add={add}
      remove={(tag) => tags.filter((t) => t !== tag)}
      save={save}
      lockWhileSaving
    />
  );
}
