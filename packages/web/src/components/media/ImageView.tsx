/**
 * One logged image on a canvas: the pixels, the masks that are switched on blended over them
 * (classes switched off left out, at the panel's opacity), the boxes the filters keep with their
 * labels, all under the panel's shared zoom and pan (wheel zooms, drag pans, double-click
 * resets). Small images are enlarged with sharp pixels. `data-fit` is canvas pixels per image
 * pixel at zoom 1, so a test can read a logged pixel back from the canvas.
 */
import { useEffect, useRef, useState, type PointerEvent } from "react";
import type { RunRef } from "@stepwise/protocol";
import { scoreRanges, visibleBoxes, type BoxRect } from "../../lib/media-boxes.js";
import { blendMask, classColorCss, configClassLabels, maskClasses } from "../../lib/media-masks.js";
import type { MediaItem } from "../../lib/media-values.js";
import { useInView } from "../charts/useInView.js";
import { loadImageLayers, type ImageLayers } from "./image-layers.js";
import { NO_ZOOM, type ImageOverlay } from "./useImageOverlay.js";

export interface ImageViewProps {
  runRef: RunRef;
  item: MediaItem;
  mediaKey: string;
  config: Record<string, unknown>;
  overlay: ImageOverlay;
  /** The canvas's width in CSS pixels. */
  size: number;
}

export function ImageView({ runRef, item, mediaKey, config, overlay, size }: ImageViewProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [layers, setLayers] = useState<ImageLayers | null>(null);
  // The path whose pixels are on the canvas (the previous step's stay until the next arrive).
  const [drawnPath, setDrawnPath] = useState<string | null>(null);
  // Lazy: an image far out of view is neither fetched nor decoded.
  const { seen } = useInView(canvas);
  const [error, setError] = useState<string | null>(null);
  const { learn } = overlay;
  // Thumbnails first; the logged pixels once the view is zoomed in.
  const full = overlay.zoom.scale > 1;

  useEffect(() => {
    if (!seen) return;
    let live = true;
    // Called off when the canvas moves on to another image (or step) before this one arrived.
    const called = new AbortController();
    setError(null);
    // Images on screen are fetched before those loaded just outside it (`seen` has a margin).
    const priority = canvas.current !== null && onScreen(canvas.current) ? "high" : "low";
    loadImageLayers(runRef, item, full, { priority, signal: called.signal }).then(
      (loaded) => {
        if (!live) return;
        setLayers(loaded);
        setDrawnPath(item.path);
        if (Object.keys(loaded.masks).length > 0 || Object.keys(loaded.boxes).length > 0)
          learn(metaOf(loaded, mediaKey, config));
      },
      (cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)),
    );
    return () => {
      live = false;
      called.abort();
    };
  }, [runRef.entity, runRef.project, runRef.runId, item.path, mediaKey, learn, full, seen]);

  const width = size;
  const height = layers === null ? size : Math.max(1, Math.round((size * layers.height) / layers.width));
  const drawn = layers !== null && layers.width > 0;
  useEffect(() => {
    const element = canvas.current;
    if (element === null || layers === null) return;
    draw(element, layers, overlay);
  }, [
    layers,
    overlay.hiddenMasks,
    overlay.hiddenMaskClasses,
    overlay.opacity,
    overlay.boxFilter,
    overlay.zoom,
    width,
    height,
  ]);

  const drag = useRef<{ x: number; y: number } | null>(null);
  // A native, non-passive listener: the wheel zooms the image instead of scrolling the page.
  const { setZoom } = overlay;
  useEffect(() => {
    const element = canvas.current;
    if (element === null) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const factor = event.deltaY < 0 ? 1.25 : 0.8;
      setZoom((zoom) => {
        const scale = Math.min(64, Math.max(1, zoom.scale * factor));
        return scale === 1 ? NO_ZOOM : { ...zoom, scale };
      });
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [setZoom]);

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    if (drag.current === null || layers === null) return;
    const fit = width / layers.width;
    const s = fit * overlay.zoom.scale;
    const dx = (event.clientX - drag.current.x) / (layers.width * s);
    const dy = (event.clientY - drag.current.y) / (layers.height * s);
    drag.current = { x: event.clientX, y: event.clientY };
    overlay.setZoom({ ...overlay.zoom, cx: overlay.zoom.cx - dx, cy: overlay.zoom.cy - dy });
  };
  if (error !== null)
    return (
      <div className="media-error">
        Could not load {item.path}: {error}
      </div>
    );
  return (
    <canvas
      ref={canvas}
      className="media-image"
      data-testid="media-image"
      data-path={item.path}
      data-ready={drawn && drawnPath === item.path}
      data-drawn={drawnPath ?? ""}
      data-fit={layers === null ? "" : width / layers.width}
      width={width}
      height={height}
      style={{ width, height }}
      onPointerDown={(event) => {
        drag.current = { x: event.clientX, y: event.clientY };
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={onPointerMove}
      onPointerUp={() => (drag.current = null)}
      onDoubleClick={() => overlay.setZoom(NO_ZOOM)}
    />
  );
}

function onScreen(element: Element): boolean {
  const box = element.getBoundingClientRect();
  return box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth;
}

function metaOf(layers: ImageLayers, key: string, config: Record<string, unknown>) {
  const masks: Record<string, Record<number, string>> = {};
  for (const [name, mask] of Object.entries(layers.masks)) {
    const labels = configClassLabels(config, "mask", key, name);
    masks[name] = {};
    for (const id of maskClasses(mask.data)) masks[name][id] = labels[id] ?? `class_${id}`;
  }
  const boxClasses: Record<number, string> = {};
  const all: BoxRect[] = [];
  for (const set of Object.values(layers.boxes)) {
    all.push(...set.boxes);
    for (const b of set.boxes) boxClasses[b.classId] = set.classLabels[b.classId] ?? b.label;
  }
  return { masks, boxClasses, scores: Object.fromEntries(scoreRanges(all)) };
}

function draw(element: HTMLCanvasElement, layers: ImageLayers, overlay: ImageOverlay): void {
  const ctx = element.getContext("2d", { willReadFrequently: true });
  if (ctx === null) return;
  let source: ImageBitmap | OffscreenCanvas = layers.bitmap;
  if (layers.pixels !== null) {
    const pixels = new ImageData(new Uint8ClampedArray(layers.pixels.data), layers.width, layers.height);
    for (const [name, mask] of Object.entries(layers.masks)) {
      if (overlay.hiddenMasks.has(name)) continue;
      const hidden = new Set<number>();
      for (const entry of overlay.hiddenMaskClasses) {
        const cut = entry.lastIndexOf(":");
        if (entry.slice(0, cut) === name) hidden.add(Number(entry.slice(cut + 1)));
      }
      blendMask(pixels.data, mask.data, hidden, overlay.opacity);
    }
    const composed = new OffscreenCanvas(layers.width, layers.height);
    composed.getContext("2d")?.putImageData(pixels, 0, 0);
    source = composed;
  }
  const fit = element.width / layers.width;
  const s = fit * overlay.zoom.scale;
  const ox = element.width / 2 - overlay.zoom.cx * layers.width * s;
  const oy = element.height / 2 - overlay.zoom.cy * layers.height * s;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, element.width, element.height);
  ctx.imageSmoothingEnabled = s < 1;
  ctx.setTransform(s, 0, 0, s, ox, oy);
  ctx.drawImage(source, 0, 0);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.lineWidth = 2;
  ctx.font = "11px sans-serif";
  for (const set of Object.values(layers.boxes))
    for (const box of visibleBoxes(set.boxes, overlay.boxFilter)) {
      const color = classColorCss(box.classId);
      const [x, y, w, h] = [box.x * s + ox, box.y * s + oy, box.width * s, box.height * s];
      ctx.strokeStyle = color;
      ctx.strokeRect(x, y, w, h);
      const text = box.caption ?? box.label;
      ctx.fillStyle = color;
      ctx.fillText(text, x + 2, Math.max(10, y - 3));
    }
}
