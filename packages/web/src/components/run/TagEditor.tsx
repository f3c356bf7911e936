/**
 * The run's tags as chips: × removes one, Enter in the input adds (commas add several). Each
 * change PATCHes the whole list; the chips change at once and a refused change comes back with
 * the reason (and the typed text, for an add).
 */
import { useState, type KeyboardEvent } from "react";
import { addTags, removeTag } from "../../lib/run-edit.js";
import type { SaveRun } from "./useRunEditor.js";

export function TagEditor({ tags, save }: { tags: string[]; save: SaveRun }) {
  const [input, setInput] = useState("");
  const [error, setError] = useState<string | null>(null);

  const change = async (next: string[], typed: string) => {
    setError(null);
    const failure = await save({ tags: next });
    if (failure !== null) {
      setError(failure);
      if (typed !== "") setInput(typed);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Escape") {
      setInput("");
      setError(null);
      return;
    }
    if (event.key !== "Enter") return;
    event.preventDefault();
    const edit = addTags(tags, input);
    if (!edit.ok) {
      setError(edit.error);
      return;
    }
    const typed = input;
    setInput("");
    void change(edit.tags, typed);
  };

  return (
    <div className="tag-editor">
      {tags.map((tag) => (
        <span className="tag" data-testid="tag" key={tag}>
          {tag}
          <button
            type="button"
            className="tag-remove"
            data-testid="tag-remove"
            aria-label={`Remove tag ${tag}`}
            title={`Remove tag ${tag}`}
            onClick={() => void change(removeTag(tags, tag), "")}
          />
        </span>
      ))}
      <input
        data-testid="tag-input"
        className="tag-input"
        value={input}
        placeholder="+ add tag"
        aria-label="Add a tag (Enter)"
        onChange={(e) => {
          setInput(e.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
      />
      {error !== null && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
