/**
 * A logged audio clip: its waveform (peaks per pixel column, decoded in the browser) above the
 * browser's player, with the duration. The playing position is drawn over the waveform.
 */
import { useEffect, useRef, useState } from "react";
import type { RunRef } from "@stepwise/protocol";
import type { MediaItem } from "../../lib/media-values.js";
import { loadFileUrl, mediaType } from "./media-cache.js";

const WAVE_HEIGHT = 48;

export function AudioView({ runRef, item, size }: { runRef: RunRef; item: MediaItem; size: number }) {
  const [url, setUrl] = useState<string | null>(null);
  const [peaks, setPeaks] = useState<Float32Array | null>(null);
  const [duration, setDuration] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [time, setTime] = useState(0);
  const wave = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let live = true;
    loadFileUrl(runRef, item.path, mediaType(item.path), item.url)
      .then(async (loaded) => {
        if (!live) return;
        setUrl(loaded);
        const bytes = await (await fetch(loaded)).arrayBuffer();
        const context = new OfflineAudioContext(1, 1, 44_100);
        const audio = await context.decodeAudioData(bytes);
        if (!live) return;
        setDuration(audio.duration);
        setPeaks(peaksOf(audio.getChannelData(0), size));
      })
      .catch((cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)));
    return () => {
      live = false;
    };
  }, [runRef.entity, runRef.project, runRef.runId, item.path, size]);

  useEffect(() => {
    const ctx = wave.current?.getContext("2d");
    if (ctx === null || ctx === undefined || peaks === null) return;
    ctx.clearRect(0, 0, size, WAVE_HEIGHT);
    const played = duration === null || duration === 0 ? 0 : (time / duration) * size;
    for (let x = 0; x < peaks.length; x++) {
      const h = Math.max(1, (peaks[x] ?? 0) * WAVE_HEIGHT);
      ctx.fillStyle = x < played ? "#1f6feb" : "#8aa4c8";
      ctx.fillRect(x, (WAVE_HEIGHT - h) / 2, 1, h);
    }
  }, [peaks, time, duration, size]);

  if (error !== null)
    return (
      <div className="media-error">
        Could not load {item.path}: {error}
      </div>
    );
  return (
    <div className="media-audio" style={{ width: size }}>
      <canvas
        ref={wave}
        className="media-wave"
        data-testid="media-waveform"
        width={size}
        height={WAVE_HEIGHT}
      />
      {url !== null && (
        <audio
          data-testid="media-audio"
          data-path={item.path}
          controls
          preload="auto"
          src={url}
          style={{ width: size }}
          onTimeUpdate={(event) => setTime(event.currentTarget.currentTime)}
        />
      )}
      {duration !== null && <span className="muted">{duration.toFixed(2)} s</span>}
    </div>
  );
}

/** The largest |sample| in each of `columns` equal slices. */
function peaksOf(samples: Float32Array, columns: number): Float32Array {
  const out = new Float32Array(columns);
  const per = Math.max(1, Math.floor(samples.length / columns));
  for (let c = 0; c < columns; c++) {
    let peak = 0;
    for (let i = c * per; i < Math.min(samples.length, (c + 1) * per); i++)
      peak = Math.max(peak, Math.abs(samples[i] ?? 0));
    out[c] = Math.min(1, peak);
  }
  return out;
}
