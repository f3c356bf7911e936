/**
 * A media panel: one media key of the runs, at one step. The step slider (own or synced with
 * the section's other panels, following `_step` or any metric) picks the position; each run
 * shows, side by side, the items it logged at its last step at or before it, with captions.
 * Images share mask, box and zoom controls. Nothing is fetched until the panel comes near the
 * viewport; a key whose values changed kind shows a warning above what it can still show.
 * Arrow keys step, space plays, when the panel has focus.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { sliderPositions, STEP_AXIS } from "../../lib/media-steps.js";
import type { MediaKind } from "../../lib/media-values.js";
import type { ChartRun } from "../charts/chart-run.js";
import { useInView } from "../charts/useInView.js";
import { MediaItemView } from "./MediaItemView.js";
import { MediaStepper } from "./MediaStepper.js";
import { OverlayControls } from "./OverlayControls.js";
import { useImageOverlay } from "./useImageOverlay.js";
import { useMediaItems, type RunItems } from "./useMediaItems.js";
import { useMediaSeries } from "./useMediaSeries.js";
import { useMediaStep } from "./useMediaStep.js";
import "../../styles/media.css";

export interface MediaPanelProps {
  mediaKey: string;
  kind: MediaKind;
  runs: readonly ChartRun[];
  /** The section the panel is in: synced panels share its slider. */
  section: string;
  axisChoices: readonly string[];
}

/** An item's width: 20 runs side by side stay readable at four to a row. */
export const MEDIA_ITEM_PX = 200;

export function MediaPanel({ mediaKey, kind, runs, section, axisChoices }: MediaPanelProps) {
  const ref = useRef<HTMLDivElement>(null);
  const { seen } = useInView(ref);
  const [xKey, setXKey] = useState(STEP_AXIS);
  const [synced, setSynced] = useState(true);
  const state = useMediaSeries(runs, mediaKey, xKey, seen);
  const list = useMemo(
    () => runs.map(({ run }) => state.series?.get(run.id) ?? { entries: [], kinds: [] }),
    [runs, state.series],
  );
  const positions = useMemo(() => sliderPositions(list), [list]);
  const step = useMediaStep(positions, `${section}\u0000${xKey}`, synced);
  const mixed = state.mixed?.map((k) => k.replace(/-file$/, "")) ?? null;
  const overlay = useImageOverlay();
  const neighbours = useMemo(
    () => [positions[step.index + 1], positions[step.index - 1]].filter((n) => n !== undefined),
    [positions, step.index],
  );
  // Runs whose images are in view (kept in a ref: scrolling re-renders nothing).
  const visible = useRef(new Set<string>());
  const isVisible = useCallback((runId: string) => visible.current.has(runId), []);
  const onVisible = useCallback((runId: string, seen: boolean) => {
    if (seen) visible.current.add(runId);
    else visible.current.delete(runId);
  }, []);
  const shownItems = useMediaItems(runs, list, mediaKey, step.x, neighbours, isVisible);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if ((event.target as HTMLElement).closest("input, select, textarea, audio, video") !== null) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      step.move(event.key === "ArrowLeft" ? -1 : 1);
    } else if (event.key === " ") {
      event.preventDefault();
      step.setPlaying(!step.playing);
    }
  };

  return (
    <div
      ref={ref}
      className="media-panel"
      data-testid="media-panel"
      data-key={mediaKey}
      data-kind={kind}
      data-state={state.series === null ? (state.error === null ? "loading" : "error") : "ready"}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="media-panel-title" title={mediaKey}>
        {mediaKey} <span className="muted">{kind}</span>
      </div>
      {mixed !== null && (
        <p className="media-warning" role="status" data-testid="media-kind-warning">
          ⚠ This key held {mixed.join(", ")} values: only its {kind} steps are shown. Log one type per key.
        </p>
      )}
      {state.error !== null && (
        <p className="media-error" role="alert">
          Could not load the media:{" "}
          {state.error instanceof Error ? state.error.message : "the server did not answer"}
        </p>
      )}
      <MediaStepper
        step={step}
        positions={positions}
        xKey={xKey}
        axisChoices={axisChoices}
        onXKey={setXKey}
        synced={synced}
        onSynced={setSynced}
      />
      {kind === "image" && <OverlayControls overlay={overlay} />}
      <div className="media-runs">
        {runs.map(({ run, color }) => (
          <RunMedia
            key={run.id}
            run={run}
            color={color}
            shown={shownItems.get(run.id)}
            mediaKey={mediaKey}
            overlay={overlay}
            onVisible={onVisible}
          />
        ))}
      </div>
    </div>
  );
}

function RunMedia({
  run,
  color,
  shown,
  mediaKey,
  overlay,
  onVisible,
}: {
  run: ChartRun["run"];
  color: string;
  shown: RunItems | undefined;
  mediaKey: string;
  overlay: ReturnType<typeof useImageOverlay>;
  onVisible: (runId: string, inView: boolean) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { inView } = useInView(box);
  useEffect(() => onVisible(run.id, inView), [onVisible, run.id, inView]);
  const runRef = useMemo(
    () => ({ entity: run.entity, project: run.project, runId: run.id }),
    [run.entity, run.project, run.id],
  );
  return (
    <div
      ref={box}
      className="media-run"
      data-testid="media-run"
      data-run={run.id}
      data-step={shown?.step ?? ""}
    >
      <div className="media-run-name" title={run.name}>
        <span className="media-run-dot" style={{ background: color }} /> {run.name}
        {shown !== undefined && <span className="muted"> · step {shown.step}</span>}
      </div>
      {shown === undefined ? (
        <div className="media-none muted">nothing logged yet</div>
      ) : (
        <div className="media-items">
          {(shown.items ?? []).map((item, i) => (
            <MediaItemView
              // By place, not path: the same canvas shows the next step's image (no remount, no flash).
              key={i}
              runRef={runRef}
              item={item}
              mediaKey={mediaKey}
              config={run.config}
              overlay={overlay}
              size={MEDIA_ITEM_PX}
            />
          ))}
        </div>
      )}
    </div>
  );
}
