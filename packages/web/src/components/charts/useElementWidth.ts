/**
 * The border-box width of an element (what IntersectionObserver reports too, so the two agree),
 * kept current with a ResizeObserver; 0 until measured.
 */
import { useEffect, useState, type RefObject } from "react";

export function useElementWidth(ref: RefObject<Element | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    // No synchronous clientWidth read: it forces a layout per chart on first render, and the
    // observer reports the size right after observe() anyway.
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry === undefined) return;
      setWidth(Math.floor(entry.borderBoxSize[0]?.inlineSize ?? entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
