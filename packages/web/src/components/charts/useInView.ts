/**
 * Whether an element is near the viewport, so that charts far out of view neither mount, fetch
 * nor draw: a workspace of 1,000 charts costs what is on screen. `seen` stays true once the
 * element has been in view, so a chart scrolled past keeps its canvas. One IntersectionObserver
 * serves every element (1,000 observers cost more to create than the charts they guard).
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

type Listener = (entry: IntersectionObserverEntry) => void;

const listeners = new Map<Element, Set<Listener>>();
let shared: IntersectionObserver | null = null;

function observer(): IntersectionObserver {
  shared ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) for (const listen of listeners.get(entry.target) ?? []) listen(entry);
    },
    { rootMargin: MARGIN },
  );
  return shared;
}

function watch(element: Element, listen: Listener): () => void {
  const set = listeners.get(element);
  if (set === undefined) {
    listeners.set(element, new Set([listen]));
    observer().observe(element);
  } else {
    // A second watcher of the same element gets its state with the next report; ask for one.
    set.add(listen);
    observer().unobserve(element);
    observer().observe(element);
  }
  return () => {
    const now = listeners.get(element);
    now?.delete(listen);
    if (now !== undefined && now.size === 0) {
      listeners.delete(element);
      observer().unobserve(element);
    }
  };
}

export function useInView(ref: RefObject<Element | null>): InView {
  const [state, setState] = useState<InView>({ inView: false, seen: false, width: 0 });
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    return watch(element, (entry) => {
      const visible = entry.isIntersecting;
      const width = Math.floor(entry.boundingClientRect.width);
      setState((s) =>
        s.inView === visible && s.width === width && (s.seen || !visible)
          ? s
          : { inView: visible, seen: s.seen || visible, width },
      );
    });
  }, [ref]);
  return state;
}
