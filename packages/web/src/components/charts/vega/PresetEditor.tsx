/**
 * The chart preset editor: a Vega-Lite spec (JSON, its data `{ "name": "table" }`) with
 * `${field:…}` and `${string:…}` slots, previewed live over one of the run's tables as you type
 * (slots bound to columns and texts here), then saved as a user preset under an id such as
 * `me/scatter/v0` (PUT /presets/:id). After a save, the chart drawn is the server's rendering
 * of the saved preset, so what you see is what runs logging `plotTable("me/scatter/v0", …)` get.
 */
import { useDeferredValue, useEffect, useMemo, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import { listTables, renderPreset, savePreset } from "../../../api/structured-client.js";
import { fillPresetSlots, presetSlots } from "../../../lib/preset-slots.js";
import { useChartRows } from "./useChartRows.js";
import { VegaChart } from "./VegaChart.js";

const TEMPLATE = JSON.stringify(
  {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "${string:title}",
    data: { name: "table" },
    mark: { type: "point", tooltip: true },
    encoding: {
      x: { field: "${field:x}", type: "quantitative" },
      y: { field: "${field:y}", type: "quantitative" },
    },
  },
  null,
  2,
);

export function PresetEditor({ run, runName }: { run: RunRef; runName: string }) {
  const [id, setId] = useState("me/my-chart/v0");
  const [text, setText] = useState(TEMPLATE);
  const [tableKey, setTableKey] = useState("");
  const [tables, setTables] = useState<string[]>([]);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [strings, setStrings] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<{ id: string; spec: Record<string, unknown> } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    listTables(run, controller.signal).then(
      (list) => {
        const keys = list.filter((t) => t.versions.some((v) => v.state === "ready")).map((t) => t.key);
        setTables(keys);
        setTableKey((known) => (known === "" ? (keys[0] ?? "") : known));
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [run.entity, run.project, run.runId]);
  const deferred = useDeferredValue(text);
  const parsed = useMemo(() => parseSpec(deferred), [deferred]);
  const slots = useMemo(() => presetSlots(parsed.spec ?? {}), [parsed.spec]);
  const chartRuns = useMemo(
    () => (tableKey === "" ? [] : [{ ref: run, name: runName, tableKey }]),
    [run, runName, tableKey],
  );
  const { rows } = useChartRows(chartRuns);
  const preview = useMemo(
    () => (parsed.spec === null ? null : fillPresetSlots(parsed.spec, fields, strings)),
    [parsed.spec, fields, strings],
  );
  const columns =
    rows === null || rows.length === 0 ? [] : Object.keys(rows[0] ?? {}).filter((c) => !c.startsWith("_run"));

  const save = async (): Promise<void> => {
    if (parsed.spec === null) return;
    setStatus("Saving…");
    try {
      await savePreset(id, {
        name: id,
        fields: slots.fields.map((name) => ({ name })),
        stringFields: slots.strings.map((name) => ({ name, default: strings[name] ?? "" })),
        spec: parsed.spec,
      });
      const spec = await renderPreset(id, fields, strings);
      setSaved({ id, spec });
      setStatus(`Saved ${id}`);
    } catch (error) {
      setStatus(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <div className="preset-editor" data-testid="preset-editor">
      <div className="preset-editor-fields">
        <label>
          Preset id
          <input data-testid="preset-id" value={id} onChange={(e) => setId(e.target.value)} />
        </label>
        <label>
          Table
          <select data-testid="preset-table" value={tableKey} onChange={(e) => setTableKey(e.target.value)}>
            {tables.map((key) => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </select>
        </label>
        <textarea
          data-testid="preset-spec"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Vega-Lite spec"
        />
        {parsed.error !== null && (
          <p className="table-filter-error" data-testid="preset-spec-error">
            {parsed.error}
          </p>
        )}
        {slots.fields.map((name) => (
          <label key={`f:${name}`}>
            field {name}
            <select
              data-testid="preset-field"
              data-field={name}
              value={fields[name] ?? ""}
              onChange={(e) => setFields({ ...fields, [name]: e.target.value })}
            >
              <option value="">–</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ))}
        {slots.strings.map((name) => (
          <label key={`s:${name}`}>
            text {name}
            <input
              data-testid="preset-string"
              data-string={name}
              value={strings[name] ?? ""}
              onChange={(e) => setStrings({ ...strings, [name]: e.target.value })}
            />
          </label>
        ))}
        <button
          type="button"
          data-testid="preset-save"
          disabled={parsed.spec === null}
          onClick={() => void save()}
        >
          Save preset
        </button>
        {status !== null && (
          <p className="muted" data-testid="preset-status" role="status">
            {status}
          </p>
        )}
      </div>
      <div>
        <div className="muted">Preview</div>
        {preview !== null && rows !== null && <VegaChart id="preset-preview" spec={preview} rows={rows} />}
        {saved !== null && rows !== null && (
          <>
            <div className="muted">Saved preset {saved.id}, as the server renders it</div>
            <VegaChart id={`preset-saved|${saved.id}`} spec={saved.spec} rows={rows} />
          </>
        )}
      </div>
    </div>
  );
}

function parseSpec(text: string): { spec: Record<string, unknown> | null; error: string | null } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { spec: null, error: "The spec must be a JSON object." };
    }
    return { spec: value as Record<string, unknown>, error: null };
  } catch (error) {
    return { spec: null, error: error instanceof Error ? error.message : String(error) };
  }
}
