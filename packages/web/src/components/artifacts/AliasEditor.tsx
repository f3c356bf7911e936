/**
 * A version's aliases as chips: × removes one, Enter in the input adds it (taking it from
 * whichever version of the collection held it). Each change PUTs the version's whole list of
 * user aliases; `latest` is the server's own (it always names the newest version), shown without
 * a ×. A refused change shows the server's reason and gives the typed text back.
 */
import { useState, type KeyboardEvent } from "react";
import { LATEST_ALIAS } from "@stepwise/protocol";

export interface AliasEditorProps {
  aliases: readonly string[];
  /** Sets the user aliases; resolves to the server's refusal, or null once saved. */
  save: (aliases: string[]) => Promise<string | null>;
}

export function AliasEditor({ aliases, save }: AliasEditorProps) {
  const [input, setInput] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const userAliases = aliases.filter((alias) => alias !== LATEST_ALIAS);

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
    const alias = input.trim();
    if (alias === "") return;
    if (aliases.includes(alias)) {
      setError(`'${alias}' is already an alias of this version`);
      return;
    }
    setInput("");
    void change([...userAliases, alias], alias);
  };

  return (
    <div className="tag-editor" data-testid="alias-editor">
      {aliases.map((alias) => (
        <span className="tag" data-testid="alias" data-alias={alias} key={alias}>
          {alias}
          {alias !== LATEST_ALIAS && (
            <button
              type="button"
              className="tag-remove"
              data-testid="alias-remove"
              aria-label={`Remove alias ${alias}`}
              title={`Remove alias ${alias}`}
              disabled={saving}
              onClick={() =>
                void change(
                  userAliases.filter((a) => a !== alias),
                  "",
                )
              }
            />
          )}
        </span>
      ))}
      <input
        data-testid="alias-input"
        className="tag-input"
        value={input}
        placeholder="+ add alias"
        aria-label="Add an alias (Enter)"
        disabled={saving}
        onChange={(e) => {
          setInput(e.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
      />
      {saving && <span className="saving">saving…</span>}
      {error !== null && (
        <span className="inline-error" role="alert" data-testid="alias-error">
          {error}
        </span>
      )}
    </div>
  );
}
