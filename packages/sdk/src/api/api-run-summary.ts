/**
 * A server run's summary as the `Api` client holds it: read it like the live run's summary
 * (`r.summary.get("acc")`, `r.summary.acc`), change keys locally with `set` or assignment and
 * write them with `r.update()`, or change and write at once with `await r.summary.update({...})`.
 */
import { keyedView } from "../values/keyed-view.js";

/** Writes summary keys to the server (merged there) and resolves to the summary it then holds. */
export type SummaryWriter = (changes: Record<string, unknown>) => Promise<Record<string, unknown>>;

export class ApiRunSummaryStore {
  #values: Record<string, unknown>;
  #pending: Record<string, unknown> = {};
  readonly #write: SummaryWriter;

  constructor(values: Record<string, unknown>, write: SummaryWriter) {
    this.#values = values;
    this.#write = write;
  }

  get(key: string): unknown {
    return this.#values[key];
  }

  /** Local until `r.update()` (or the next `summary.update()`) writes it. */
  set(key: string, value: unknown): void {
    this.#values[key] = value;
    this.#pending[key] = value;
  }

  keys(): string[] {
    return Object.keys(this.#values);
  }

  /** Merges `changes` (and any keys set since the last write) into the server's summary. */
  async update(changes: Record<string, unknown> = {}): Promise<void> {
    const pending = { ...this.takePending(), ...changes };
    try {
      this.#values = await this.#write(pending);
    } catch (error) {
      this.restorePending(pending);
      throw error;
    }
  }

  /** Hands over the keys set locally since the last write (for `r.update()` to send). */
  takePending(): Record<string, unknown> {
    const pending = this.#pending;
    this.#pending = {};
    return pending;
  }

  /** A write failed: nothing reached the server, so keep the keys for the next one. */
  restorePending(pending: Record<string, unknown>): void {
    this.#pending = { ...pending, ...this.#pending };
  }

  /** After the run was re-read or written: the server's summary, plus what is still pending. */
  replace(values: Record<string, unknown>): void {
    this.#values = { ...values, ...this.#pending };
  }

  toJSON(): Record<string, unknown> {
    return { ...this.#values };
  }
}

const METHODS = new Set([
  "get",
  "set",
  "keys",
  "update",
  "takePending",
  "restorePending",
  "replace",
  "toJSON",
]);

export type ApiRunSummary = ApiRunSummaryStore & Record<string, unknown>;

export function apiRunSummary(values: Record<string, unknown>, write: SummaryWriter): ApiRunSummary {
  return keyedView(new ApiRunSummaryStore(values, write), METHODS);
}
