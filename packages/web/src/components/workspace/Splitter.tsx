/** The draggable bar between the runs table and the charts (the width: useRunsWidth.ts). */
import { useEffect, useState, type PointerEvent } from "react";

export function Splitter({ onResize }: { onResize: (width: number) => void }) {
  const [drag, setDrag] = useState<{ startX: number; startWidth: number } | null>(null);
  useEffect(() => {
    if (drag === null) return;
    const move = (event: globalThis.PointerEvent) => onResize(drag.startWidth + event.clientX - drag.startX);
    const up = () => setDrag(null);
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    return () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
  }, [drag, onResize]);
  const start = (event: PointerEvent<HTMLDivElement>) => {
    const panel = event.currentTarget.previousElementSibling;
    if (panel === null) return;
    event.preventDefault();
    setDrag({ startX: event.clientX, startWidth: panel.getBoundingClientRect().width });
  };
  return (
    <div
      className={drag === null ? "workspace-splitter" : "workspace-splitter is-dragging"}
      role="separator"
      aria-orientation="vertical"
      title="Drag to resize"
      onPointerDown={start}
    />
  );
}
