/**
 * The run's name as the page title, editable in place: Edit (or a double click) opens an input,
 * Enter saves, Escape cancels. The new name shows at once; a refused save reopens the input with
 * what was typed and the reason.
 */
import { useState, type KeyboardEvent } from "react";
import { checkRunName } from "../../lib/run-edit.js";
import type { SaveRun } from "./useRunEditor.js";

export function EditableName({ name, save }: { name: string; save: SaveRun }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const open = () => {
    setDraft(name);
    setError(null);
  };
  const commit = async (text: string) => {
    const checked = checkRunName(text);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setDraft(null);
    setError(null);
    if (checked.name === name) return;
    setSaving(true);
    const failure = await save({ name: checked.name });
    setSaving(false);
    if (failure !== null) {
      setDraft(text);
      setError(failure);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" && draft !== null) {
      event.preventDefault();
      void commit(draft);
    } else if (event.key === "Escape") {
      setDraft(null);
      setError(null);
    }
  };

  if (draft === null) {
    return (
      <div className="run-name">
        <h1 data-testid="run-name-display" onDoubleClick={open} title="Double-click to rename">
          {name}
        </h1>
        <button type="button" className="icon-button" data-testid="edit-name" onClick={open} title="Rename">
          Edit
        </button>
        {saving && <span className="saving">Saving…</span>}
      </div>
    );
  }
  return (
    <div className="run-name editing">
      <input
        data-testid="name-input"
        className="name-input"
        value={draft}
        autoFocus
        maxLength={300}
        aria-label="Run name"
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <span className="edit-hint">Enter to save · Esc to cancel</span>
      {error !== null && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
