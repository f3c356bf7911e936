/**
 * Adds a `config.<path>` / `summary.<path>` column: type or pick a key (the list holds the
 * project's paths, loaded when the box first gets focus), Enter adds it. A bare key such as
 * `val/acc` is completed to the one suggestion it names.
 */
import { useState } from "react";
import { resolveColumnInput } from "../../lib/column-suggestions.js";

export interface AddColumnInputProps {
  suggestions: readonly string[];
  /** The box got focus: load `suggestions` if they are not yet. */
  onWantSuggestions: () => void;
  onAdd: (column: string) => void;
}

export function AddColumnInput({ suggestions: options, onWantSuggestions, onAdd }: AddColumnInputProps) {
  const [text, setText] = useState("");
  const [error, setError] = useState(false);
  const add = (): void => {
    const column = resolveColumnInput(text.trim(), options);
    if (column === null) {
      setError(true);
      return;
    }
    onAdd(column);
    setText("");
    setError(false);
  };
  return (
    <>
      <input
        type="text"
        className={error ? "add-column has-error" : "add-column"}
        data-testid="add-column"
        list="runs-column-options"
        placeholder="+ column (config.… / summary.…)"
        title="Add a config or summary column: type or pick a key, then Enter"
        value={text}
        spellCheck={false}
        onFocus={onWantSuggestions}
        onChange={(event) => {
          setText(event.target.value);
          setError(false);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter") add();
        }}
      />
      <datalist id="runs-column-options">
        {options.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
    </>
  );
}
