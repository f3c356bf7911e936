/**
 * Whether an element is near the viewport (IntersectionObserver), so that charts far out of
 * view neither fetch nor draw: 20 charts × 50 runs only cost what is on screen. `seen` stays true
 * once the element has been in view, so a chart scrolled past keeps its canvas.
 */
import { useEffect, useState, type RefObject } from "react";

/** Charts start loading a little before they scroll in. */
const MARGIN = "300px";

export interface InView {
  inView: boolean;
  seen: boolean;
  /** The element's width when it was last observed: known as soon as it is seen, before any ResizeObserver report. */
  width: number;
}

export function useInView(ref: RefObject<Element | null>): InView {
  const [inView, setInView] = useState(false);
  const [seen, setSeen] = useState(false);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new IntersectionObserver(
      (entries) => {
        const entry = entries[entries.length - 1];
        if (entry === undefined) return;
        const visible = entry.isIntersecting;
        setWidth(Math.floor(entry.boundingClientRect.width));
        setInView(visible);
        if (visible) setSeen(true);
      },
      { rootMargin: MARGIN },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return { inView, seen, width };
}
