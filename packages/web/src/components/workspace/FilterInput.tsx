/**
 * The filter expression box: edits stay local until Enter applies them (Escape restores the
 * applied text). A syntax error is shown under the box with its column; the table keeps the
 * last filter that parsed.
 */
import { useEffect, useState } from "react";

export interface FilterInputProps {
  applied: string;
  /** The parse error of the applied text, or null. */
  error: string | null;
  onApply: (text: string) => void;
}

const EXAMPLE = "summary.val/acc > 0.9 and config.lr < 0.01";
const HELP = [
  "Filter runs; press Enter to apply. Conditions joined with `and`:",
  '  summary.val/acc > 0.9    config.lr <= 0.01    config.opt.name = "adam"',
  '  config.model in ("resnet", "vit")    exists summary.loss',
  "  state = running    state in (running, finished)",
  "  tags contains best    name contains abc    group = sweep    jobType = train",
].join("\n");

export function FilterInput({ applied, error, onApply }: FilterInputProps) {
  const [text, setText] = useState(applied);
  useEffect(() => setText(applied), [applied]);
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
        aria-invalid={error !== null}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") onApply(text.trim());
          if (event.key === "Escape") setText(applied);
        }}
      />
      {text !== applied && <span className="filter-pending">↵ to apply</span>}
      {error !== null && (
        <div className="filter-error" data-testid="filter-error" role="alert">
          Filter not applied: {error}
        </div>
      )}
    </div>
  );
}
