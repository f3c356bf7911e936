/**
 * A media panel's slider: its position over the x values the runs have media at, its own or its
 * section's (when synced), moved by the slider, by arrow keys, or by play (one position every
 * PLAY_MS, wrapping to the first). Null until a position is chosen: the last one is shown.
 */
import { useCallback, useEffect, useState } from "react";
import { nearestIndex } from "../../lib/media-steps.js";
import { useSectionStep } from "./section-step.js";

/** Play speed: four images a second, as W&B's video default fps. */
export const PLAY_MS = 250;

export interface MediaStep {
  index: number;
  x: number | null;
  setIndex: (index: number) => void;
  move: (delta: number) => void;
  playing: boolean;
  setPlaying: (playing: boolean) => void;
}

export function useMediaStep(positions: readonly number[], section: string, synced: boolean): MediaStep {
  const [own, setOwn] = useState<number | null>(null);
  const [shared, setShared] = useSectionStep(section);
  const chosen = synced ? shared : own;
  const index = nearestIndex(positions, chosen);
  const x = positions[index] ?? null;
  const setX = synced ? setShared : setOwn;
  const setIndex = useCallback(
    (i: number) => {
      const next = positions[Math.max(0, Math.min(positions.length - 1, i))];
      if (next !== undefined) setX(next);
    },
    [positions, setX],
  );
  const move = useCallback((delta: number) => setIndex(index + delta), [setIndex, index]);
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    if (!playing || positions.length < 2) return;
    const timer = setTimeout(() => setIndex(index + 1 >= positions.length ? 0 : index + 1), PLAY_MS);
    return () => clearTimeout(timer);
  }, [playing, index, positions, setIndex]);
  return { index, x, setIndex, move, playing, setPlaying };
}
