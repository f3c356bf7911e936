/**
 * W&B's step/commit state machine (reference §2.3–2.4, normative). `current` is the step the
 * next row gets; `pending` collects the values logged for it until the row is committed.
 *
 *   step > current  → commit what is pending (at the old step), move to `step`, merge
 *   step < current  → warn and drop the whole call
 *   step == current → merge
 *   then commit if `commit` is true, or if it is absent and no step was given.
 */
import { isPlainObject } from "../values/deep-merge.js";

export type RowSink = (row: Record<string, unknown>, step: number) => void;

export class StepCommitter {
  private pending: Record<string, unknown> | null = null;

  constructor(
    /** The step the next row will get. */
    public current: number,
    private readonly emit: RowSink,
    private readonly warn: (message: string) => void,
  ) {}

  /** `data` must be a fresh object the committer may keep and modify. */
  accept(data: Record<string, unknown>, step: number | undefined, commit: boolean | undefined): void {
    if (step !== undefined) {
      if (step > this.current) {
        this.commitPending();
        this.current = step;
      } else if (step < this.current) {
        this.warn(
          `Tried to log to step ${step} that is less than the current step ${this.current}. Steps must be ` +
            "monotonically increasing, so this data will be ignored. To log data out of order, log your own " +
            'x value and declare it with run.defineMetric("<metric>", { stepMetric: "<x>" }).',
        );
        return;
      }
    }
    if (this.pending === null) this.pending = data;
    else mergeInto(this.pending, data);
    if (commit ?? step === undefined) {
      this.commitPending();
      this.current += 1;
    }
  }

  /** Emits the pending row, if any, at the current step (used by a later step and by finish). */
  commitPending(): void {
    const row = this.pending;
    if (row === null) return;
    this.pending = null;
    this.emit(row, this.current);
  }

  get hasPending(): boolean {
    return this.pending !== null;
  }
}

/** Later values overwrite earlier ones; nested plain objects (not media, which carry `_type`) merge. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key in source) {
    const incoming = source[key];
    const existing = target[key];
    if (isSubtree(incoming) && isSubtree(existing)) mergeInto(existing, incoming);
    else target[key] = incoming;
  }
}

function isSubtree(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && !("_type" in value);
}
