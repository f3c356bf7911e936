/**
 * The overlay controls of an image panel: each mask with its switch and its classes' switches
 * (in their colours), the mask opacity, the box classes' switches and one slider per box score
 * ("hide boxes with confidence below …"), and a reset of the zoom.
 */
import { classColorCss } from "../../lib/media-masks.js";
import { NO_ZOOM, type ImageOverlay } from "./useImageOverlay.js";

export function OverlayControls({ overlay }: { overlay: ImageOverlay }) {
  const { meta } = overlay;
  const maskNames = Object.keys(meta.masks).sort();
  const boxClasses = Object.entries(meta.boxClasses).map(([id, label]) => [Number(id), label] as const);
  const scores = Object.entries(meta.scores).sort(([a], [b]) => (a < b ? -1 : 1));
  const zoomed = overlay.zoom.scale !== 1 || overlay.zoom.cx !== 0.5 || overlay.zoom.cy !== 0.5;
  if (maskNames.length === 0 && boxClasses.length === 0 && !zoomed) return null;
  return (
    <div className="media-overlays" data-testid="media-overlays">
      {maskNames.map((name) => (
        <div key={name} className="media-overlay-group" data-testid="mask-controls" data-mask={name}>
          <label>
            <input
              type="checkbox"
              data-testid="mask-toggle"
              checked={!overlay.hiddenMasks.has(name)}
              onChange={() => overlay.toggleMask(name)}
            />{" "}
            mask <b>{name}</b>
          </label>
          {Object.entries(meta.masks[name] ?? {}).map(([id, label]) => (
            <label key={id} className="media-class" style={{ borderColor: classColorCss(Number(id)) }}>
              <input
                type="checkbox"
                data-testid="mask-class"
                data-class={id}
                checked={!overlay.hiddenMaskClasses.has(`${name}:${id}`)}
                onChange={() => overlay.toggleMaskClass(name, Number(id))}
              />
              {label}
            </label>
          ))}
        </div>
      ))}
      {maskNames.length > 0 && (
        <label className="media-overlay-group">
          opacity{" "}
          <input
            type="range"
            data-testid="mask-opacity"
            min={0}
            max={1}
            step={0.05}
            value={overlay.opacity}
            onChange={(event) => overlay.setOpacity(Number(event.currentTarget.value))}
          />
        </label>
      )}
      {boxClasses.length > 0 && (
        <div className="media-overlay-group" data-testid="box-controls">
          boxes
          {boxClasses.map(([id, label]) => (
            <label key={id} className="media-class" style={{ borderColor: classColorCss(id) }}>
              <input
                type="checkbox"
                data-testid="box-class"
                data-class={id}
                checked={!overlay.boxFilter.hiddenClasses.has(id)}
                onChange={() => overlay.toggleBoxClass(id)}
              />
              {label}
            </label>
          ))}
        </div>
      )}
      {scores.map(([name, range]) => (
        <label key={name} className="media-overlay-group">
          {name} ≥{" "}
          <input
            type="range"
            data-testid="box-score"
            data-score={name}
            min={range.min}
            max={range.max}
            step={(range.max - range.min) / 100 || 0.01}
            value={overlay.boxFilter.minScores[name] ?? range.min}
            onChange={(event) => overlay.setMinScore(name, Number(event.currentTarget.value))}
          />
          <output>{(overlay.boxFilter.minScores[name] ?? range.min).toFixed(2)}</output>
        </label>
      ))}
      {zoomed && (
        <button type="button" onClick={() => overlay.setZoom(NO_ZOOM)}>
          Reset zoom
        </button>
      )}
    </div>
  );
}
