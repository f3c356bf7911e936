/**
 * What the images of one media panel share: the masks (each on or off, each class on or off,
 * one opacity), the boxes (classes on or off, a least value per score) and the zoom and pan, so
 * that the runs compared side by side always show the same region with the same overlays. The
 * mask and box names, classes and score ranges are learnt from the images as they load.
 */
import { useCallback, useMemo, useState } from "react";
import type { BoxFilter } from "../../lib/media-boxes.js";

export interface OverlayMeta {
  /** Mask name → class id → label. */
  masks: Record<string, Record<number, string>>;
  /** Box class id → label. */
  boxClasses: Record<number, string>;
  /** Score name → range over the boxes seen. */
  scores: Record<string, { min: number; max: number }>;
}

export interface Zoom {
  scale: number;
  /** The image point (0–1 of width and height) at the centre of the view. */
  cx: number;
  cy: number;
}

export const NO_ZOOM: Zoom = { scale: 1, cx: 0.5, cy: 0.5 };

export interface ImageOverlay {
  meta: OverlayMeta;
  learn: (meta: Partial<OverlayMeta>) => void;
  hiddenMasks: ReadonlySet<string>;
  toggleMask: (name: string) => void;
  /** `mask:classId` of the classes switched off. */
  hiddenMaskClasses: ReadonlySet<string>;
  toggleMaskClass: (name: string, classId: number) => void;
  opacity: number;
  setOpacity: (opacity: number) => void;
  boxFilter: BoxFilter;
  toggleBoxClass: (classId: number) => void;
  setMinScore: (name: string, min: number) => void;
  zoom: Zoom;
  /** A zoom, or how to change the current one (wheel events arrive faster than renders). */
  setZoom: (zoom: Zoom | ((current: Zoom) => Zoom)) => void;
}

const toggled = <T>(set: ReadonlySet<T>, value: T): Set<T> => {
  const next = new Set(set);
  if (!next.delete(value)) next.add(value);
  return next;
};

export function useImageOverlay(): ImageOverlay {
  const [meta, setMeta] = useState<OverlayMeta>({ masks: {}, boxClasses: {}, scores: {} });
  const [hiddenMasks, setHiddenMasks] = useState<ReadonlySet<string>>(new Set());
  const [hiddenMaskClasses, setHiddenMaskClasses] = useState<ReadonlySet<string>>(new Set());
  const [opacity, setOpacity] = useState(0.5);
  const [hiddenClasses, setHiddenClasses] = useState<ReadonlySet<number>>(new Set());
  const [minScores, setMinScores] = useState<Readonly<Record<string, number>>>({});
  const [zoom, setZoom] = useState<Zoom>(NO_ZOOM);

  const learn = useCallback((more: Partial<OverlayMeta>) => {
    setMeta((known) => {
      let changed = false;
      const masks = { ...known.masks };
      for (const [name, classes] of Object.entries(more.masks ?? {})) {
        const had = masks[name] ?? {};
        for (const [id, label] of Object.entries(classes))
          if (had[Number(id)] === undefined) {
            masks[name] = { ...(masks[name] ?? had), [Number(id)]: label };
            changed = true;
          }
        if (masks[name] === undefined) {
          masks[name] = {};
          changed = true;
        }
      }
      const boxClasses = { ...known.boxClasses };
      for (const [id, label] of Object.entries(more.boxClasses ?? {}))
        if (boxClasses[Number(id)] === undefined) {
          boxClasses[Number(id)] = label;
          changed = true;
        }
      const scores = { ...known.scores };
      for (const [name, r] of Object.entries(more.scores ?? {})) {
        const had = scores[name];
        if (had === undefined || r.min < had.min || r.max > had.max) {
          scores[name] =
            had === undefined ? r : { min: Math.min(had.min, r.min), max: Math.max(had.max, r.max) };
          changed = true;
        }
      }
      return changed ? { masks, boxClasses, scores } : known;
    });
  }, []);

  const boxFilter = useMemo(() => ({ hiddenClasses, minScores }), [hiddenClasses, minScores]);
  return {
    meta,
    learn,
    hiddenMasks,
    toggleMask: useCallback((name: string) => setHiddenMasks((s) => toggled(s, name)), []),
    hiddenMaskClasses,
    toggleMaskClass: useCallback(
      (name: string, id: number) => setHiddenMaskClasses((s) => toggled(s, `${name}:${id}`)),
      [],
    ),
    opacity,
    setOpacity,
    boxFilter,
    toggleBoxClass: useCallback((id: number) => setHiddenClasses((s) => toggled(s, id)), []),
    setMinScore: useCallback((name: string, min: number) => setMinScores((s) => ({ ...s, [name]: min })), []),
    zoom,
    setZoom,
  };
}
