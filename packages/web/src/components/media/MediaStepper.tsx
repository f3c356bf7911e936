/**
 * The step slider of a media panel: previous / play / next, the slider over the positions, the
 * x value shown (`step 120`, or `epoch 3` when it follows another metric), the x-axis choice and
 * the section sync toggle.
 */
import type { MediaStep } from "./useMediaStep.js";

export interface MediaStepperProps {
  step: MediaStep;
  positions: readonly number[];
  xKey: string;
  axisChoices: readonly string[];
  onXKey: (key: string) => void;
  synced: boolean;
  onSynced: (synced: boolean) => void;
}

export function MediaStepper({
  step,
  positions,
  xKey,
  axisChoices,
  onXKey,
  synced,
  onSynced,
}: MediaStepperProps) {
  const last = positions.length - 1;
  return (
    <div className="media-stepper">
      <button
        type="button"
        aria-label="Previous step"
        disabled={step.index <= 0}
        onClick={() => step.move(-1)}
      >
        ‹
      </button>
      <button
        type="button"
        data-testid="media-play"
        aria-label={step.playing ? "Pause" : "Play"}
        disabled={last < 1}
        onClick={() => step.setPlaying(!step.playing)}
      >
        {step.playing ? "❚❚" : "▶"}
      </button>
      <button type="button" aria-label="Next step" disabled={step.index >= last} onClick={() => step.move(1)}>
        ›
      </button>
      <input
        type="range"
        className="media-slider"
        data-testid="media-slider"
        aria-label="Step"
        min={0}
        max={Math.max(0, last)}
        value={Math.max(0, step.index)}
        disabled={last < 1}
        onChange={(event) => step.setIndex(Number(event.currentTarget.value))}
      />
      <span className="media-x" data-testid="media-x" data-x={step.x ?? ""}>
        {xKey === "_step" ? "step" : xKey} {step.x ?? "–"}
      </span>
      <select
        aria-label="Slider follows"
        value={xKey}
        onChange={(event) => onXKey(event.currentTarget.value)}
      >
        <option value="_step">step</option>
        {axisChoices.map((key) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </select>
      <label className="media-sync" title="Move every synced panel of this section together">
        <input type="checkbox" checked={synced} onChange={(event) => onSynced(event.currentTarget.checked)} />{" "}
        sync
      </label>
    </div>
  );
}
