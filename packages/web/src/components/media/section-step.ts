/**
 * The slider position shared by the media panels of a section that are synced: moving one moves
 * the others to the same x (each to its nearest position). A tiny store per section name, read
 * with useSyncExternalStore; panels that are not synced keep their own position.
 */
import { useCallback, useSyncExternalStore } from "react";

type Listener = () => void;
const positions = new Map<string, number | null>();
const listeners = new Map<string, Set<Listener>>();

function subscribe(section: string, listen: Listener): () => void {
  const set = listeners.get(section) ?? new Set<Listener>();
  listeners.set(section, set);
  set.add(listen);
  return () => set.delete(listen);
}

export function setSectionStep(section: string, x: number | null): void {
  if (positions.get(section) === x) return;
  positions.set(section, x);
  for (const listen of listeners.get(section) ?? []) listen();
}

/** The section's shared x (null: none chosen yet, each panel shows its last step) and its setter. */
export function useSectionStep(section: string): [number | null, (x: number | null) => void] {
  const x = useSyncExternalStore(
    useCallback((listen: Listener) => subscribe(section, listen), [section]),
    () => positions.get(section) ?? null,
  );
  return [x, useCallback((next: number | null) => setSectionStep(section, next), [section])];
}
