/**
 * The media index and key kinds part of the Store interface: what the rich values hook keeps,
 * read by run, key and step. Unknown runs are answered `found: false`, never an error.
 */
import type { StepMatch } from "@stepwise/protocol";
import type { MediaEntry } from "../domain/media/media-entries.js";

export interface ProjectRef {
  entity: string;
  project: string;
}

/** A media item as indexed, with its run file when that has arrived. */
export interface StoredMediaItem extends MediaEntry {
  runId: string;
  key: string;
  step: number;
  /** The run file at `path` (any order: it may arrive before or after the row), else null. */
  file: { sha256: string; size: number } | null;
}

export interface StoreMediaQuery {
  key: string;
  runIds: readonly string[];
  /** One step per run, picked by `match`; or else a range. */
  at?: { step: number; match: StepMatch };
  range?: { min: number; max: number; limit: number };
}

export interface StoredMediaRun {
  runId: string;
  found: boolean;
  step: number | null;
  items: StoredMediaItem[];
  nextStep: number | null;
}

export interface StoredMediaSteps {
  runId: string;
  found: boolean;
  steps: number[];
  counts: number[];
}

/** One kind of one key over the runs asked (numbers from the series, the rest from the hook). */
export interface StoredKeyKind {
  key: string;
  kind: string;
  runs: number;
  count: number;
  firstStep: number | null;
  lastStep: number | null;
}

export interface MediaStore {
  queryMedia(project: ProjectRef, query: StoreMediaQuery): Promise<StoredMediaRun[]>;
  listMediaSteps(project: ProjectRef, key: string, runIds: readonly string[]): Promise<StoredMediaSteps[]>;
  /**
   * Kinds per key over the runs (null: every run of the project). With `keys`, those keys
   * (numeric ones included); without, every key that held something other than a number.
   */
  listKeyKinds(
    project: ProjectRef,
    runIds: readonly string[] | null,
    keys: readonly string[] | null,
  ): Promise<StoredKeyKind[]>;
}
