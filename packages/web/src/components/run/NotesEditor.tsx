/**
 * The run's notes: Markdown with LaTeX, rendered (and sanitized — notes are user content), and
 * edited in a textarea with Save/Cancel (Ctrl+Enter saves, Escape cancels). The saved text shows
 * at once; a refused save reopens the editor with the draft and the reason.
 */
import { lazy, Suspense, useState, type KeyboardEvent } from "react";
import type { SaveRun } from "./useRunEditor.js";

const NotesMarkdown = lazy(() => import("./NotesMarkdown.js"));

export function NotesEditor({ notes, save }: { notes: string; save: SaveRun }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const commit = async (text: string) => {
    setDraft(null);
    setError(null);
    if (text === notes) return;
    setSaving(true);
    const failure = await save({ notes: text });
    setSaving(false);
    if (failure !== null) {
      setDraft(text);
      setError(failure);
    }
  };
  const cancel = () => {
    setDraft(null);
    setError(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && draft !== null) {
      event.preventDefault();
      void commit(draft);
    } else if (event.key === "Escape") {
      cancel();
    }
  };

  return (
    <div className="run-notes">
      <div className="card-head">
        <h2>Notes</h2>
        {saving && <span className="saving">Saving…</span>}
        {draft === null && (
          <button type="button" data-testid="edit-notes" onClick={() => setDraft(notes)}>
            {notes === "" ? "Add notes" : "Edit"}
          </button>
        )}
      </div>
      {draft === null ? (
        <div className="notes-body" data-testid="notes-rendered">
          {notes === "" ? (
            <p className="muted">
              No notes yet. Write what this run tried and found — Markdown and $LaTeX$ work.
            </p>
          ) : (
            <Suspense fallback={<pre className="notes-source">{notes}</pre>}>
              <NotesMarkdown source={notes} />
            </Suspense>
          )}
        </div>
      ) : (
        <div className="notes-edit">
          <textarea
            data-testid="notes-input"
            value={draft}
            autoFocus
            rows={Math.min(24, Math.max(6, draft.split("\n").length + 1))}
            placeholder={"## Findings\n\nLoss drops as $\\mathcal{O}(1/\\sqrt{t})$."}
            aria-label="Notes (Markdown with LaTeX)"
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
          />
          {draft.trim() !== "" && (
            <div className="notes-preview" aria-label="Preview">
              <Suspense fallback={null}>
                <NotesMarkdown source={draft} />
              </Suspense>
            </div>
          )}
          {error !== null && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
          <div className="notes-actions">
            <button
              type="button"
              className="primary"
              data-testid="save-notes"
              onClick={() => void commit(draft)}
            >
              Save
            </button>
            <button type="button" data-testid="cancel-notes" onClick={cancel}>
              Cancel
            </button>
            <span className="edit-hint">Markdown · $inline$ and $$display$$ LaTeX · Ctrl+Enter saves</span>
          </div>
        </div>
      )}
    </div>
  );
}
