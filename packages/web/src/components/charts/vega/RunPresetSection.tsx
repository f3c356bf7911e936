/**
 * The run page's chart preset section: closed by default (Vega loads only when opened), it holds
 * the preset editor over the run's tables.
 */
import { useState } from "react";
import type { RunDto } from "@stepwise/protocol";
import { PresetEditor } from "./PresetEditor.js";
import "../../../styles/structured.css";

export function RunPresetSection({ run }: { run: RunDto }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="run-charts" id="presets" data-testid="run-presets">
      <div className="card-head">
        <h2>Chart presets</h2>
        <button
          type="button"
          data-testid="preset-editor-toggle"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
        >
          {open ? "Close editor" : "New preset from this run's tables"}
        </button>
      </div>
      {open && (
        <div className="run-charts-body">
          <PresetEditor
            run={{ entity: run.entity, project: run.project, runId: run.id }}
            runName={run.name}
          />
        </div>
      )}
    </section>
  );
}
