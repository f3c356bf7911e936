/**
 * The filter expression box: edits stay local until Enter applies them (Escape restores the
 * applied text). A syntax error is shown under the box with its column; the table keeps the
 * last filter that parsed.
 */
import { useEffect, useMemo, useState } from "react";
import { branchPathHint, filterCompletions } from "../../lib/filter-completions.js";

export interface FilterInputProps {
  applied: string;
  /** The parse error of the applied text, or null. */
  error: string | null;
  onApply: (text: string) => void;
  /** The project's config and summary paths (`summary.val/acc.max`); empty until loaded. */
  paths: readonly string[];
  /** The box got focus: load `paths` if they are not yet. */
  onWantPaths: () => void;
}

const EXAMPLE = "summary.val/acc > 0.9 and config.lr < 0.01";
const HELP = [
  "Filter runs; press Enter to apply. Conditions joined with `and`:",
  '  summary.val/acc > 0.9    config.lr <= 0.01    config.opt.name = "adam"',
  '  config.model in ("resnet", "vit")    exists summary.loss',
  "  state = running    state in (running, finished)",
  "  tags contains best    name contains abc    group = sweep    jobType = train",
].join("\n");

export function FilterInput({ applied, error, onApply, paths: known, onWantPaths }: FilterInputProps) {
  const [text, setText] = useState(applied);
  useEffect(() => setText(applied), [applied]);
  const completions = useMemo(() => filterCompletions(text, known), [text, known]);
  const hint = useMemo(
    () => (error === null ? branchPathHint(applied, known) : null),
    [applied, error, known],
  );
  return (
    <div className="filter-box">
      <input
        type="text"
        className={error === null ? "filter-input" : "filter-input has-error"}
        data-testid="filter-input"
        value={text}
        placeholder={`Filter: ${EXAMPLE}`}
        title={HELP}
        spellCheck={false}
        list="filter-path-options"
        autoComplete="off"
        aria-invalid={error !== null}
        onFocus={onWantPaths}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") onApply(text.trim());
          if (event.key === "Escape") setText(applied);
        }}
      />
      <datalist id="filter-path-options" data-testid="filter-path-options">
        {completions.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
      {text !== applied && <span className="filter-pending">↵ to apply</span>}
      {hint !== null && (
        <div className="filter-hint" data-testid="filter-hint">
          {hint}
        </div>
      )}
      {error !== null && (
        <div className="filter-error" data-testid="filter-error" role="alert">
          Filter not applied: {error}
        </div>
      )}
    </div>
  );
}
