/** The runs panel's width in pixels while dragged, kept per browser tab; null = the CSS default. */
import { useCallback, useState } from "react";

const STORAGE_KEY = "stepwise.runsWidth";
const MIN_WIDTH = 320;
/** The charts keep at least this much room. */
const MIN_CHARTS_WIDTH = 240;

export function useRunsWidth(): [number | null, (width: number) => void] {
  const [width, setWidth] = useState<number | null>(() => {
    const saved = Number(sessionStorage.getItem(STORAGE_KEY));
    return Number.isFinite(saved) && saved >= MIN_WIDTH ? saved : null;
  });
  const update = useCallback((next: number) => {
    const clamped = Math.max(MIN_WIDTH, Math.min(next, window.innerWidth - MIN_CHARTS_WIDTH));
    setWidth(clamped);
    sessionStorage.setItem(STORAGE_KEY, String(Math.round(clamped)));
  }, []);
  return [width, update];
}
