/**
 * A list of names as chips: × removes one, Enter in the input adds what was typed, Escape clears
 * it. Each change hands the whole new list to `save`; a refused change (or a refused add, before
 * saving) shows the reason, and a refused save gives the typed text back. The run's tags and an
 * artifact version's aliases are both this editor with their own rules.
 */
import { useState, type KeyboardEvent } from "react";

/** What Enter does with the typed text: the new list (and the text to give back if the save is refused), a reason not to, or nothing. */
export type ChipAdd = { ok: true; chips: string[]; giveBack: string } | { ok: false; error: string } | null;

export interface ChipListEditorProps {
  chips: readonly string[];
  /** What one chip is: `tag`, `alias` (in the × labels, the placeholder and the test ids). */
  noun: string;
  /** The input's label, e.g. `Add a tag (Enter)`. */
  inputLabel: string;
  add: (typed: string) => ChipAdd;
  /** The list without `chip`. */
  remove: (chip: string) => string[];
  /** Whether a chip shows a × (every one unless told). */
  removable?: (chip: string) => boolean;
  /** Saves the list; resolves to the refusal, or null once saved. */
  save: (chips: string[]) => Promise<string | null>;
  /** Disable the editor while a save is under way and say so. */
  lockWhileSaving?: boolean;
}

export function ChipListEditor(props: ChipListEditorProps) {
  const { chips, noun, add, remove, removable = () => true, save, lockWhileSaving = false } = props;
  const [input, setInput] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const locked = lockWhileSaving && saving;

  const change = async (next: string[], typed: string): Promise<void> => {
    setError(null);
    setSaving(true);
    const failure = await save(next);
    setSaving(false);
    if (failure !== null) {
      setError(failure);
      if (typed !== "") setInput(typed);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === "Escape") {
      setInput("");
      setError(null);
      return;
    }
    if (event.key !== "Enter") return;
    event.preventDefault();
    const edit = add(input);
    if (edit === null) return;
    if (!edit.ok) {
      setError(edit.error);
      return;
    }
    setInput("");
    void change(edit.chips, edit.giveBack);
  };

  return (
    <div className="tag-editor" data-testid={`${noun}-editor`}>
      {chips.map((chip) => (
        <span className="tag" data-testid={noun} {...{ [`data-${noun}`]: chip }} key={chip}>
          {chip}
          {removable(chip) && (
            <button
              type="button"
              className="tag-remove"
              data-testid={`${noun}-remove`}
              aria-label={`Remove ${noun} ${chip}`}
              title={`Remove ${noun} ${chip}`}
              disabled={locked}
              onClick={() => void change(remove(chip), "")}
            />
          )}
        </span>
      ))}
      <input
        data-testid={`${noun}-input`}
        className="tag-input"
        value={input}
        placeholder={`+ add ${noun}`}
        aria-label={props.inputLabel}
        disabled={locked}
        onChange={(e) => {
          setInput(e.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
      />
      {locked && <span className="saving">saving…</span>}
      {error !== null && (
        <span className="inline-error" role="alert" data-testid={`${noun}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
