/**
 * Delivers alerts in the background: every `POLL_MS` it gives new alerts a delivery per
 * destination, then POSTs the due ones (at most `CONCURRENCY` at a time), each with a timeout,
 * so a hung webhook holds one slot for `timeoutS` and never the ingest path. A failed try is
 * logged and retried with doubling backoff until `maxAttempts`; then the delivery is failed.
 * After a restart, deliveries still pending are tried again (at least once, not exactly once).
 */
import type { AlertStore, DueDelivery } from "../store/alert-store.js";
import type { AlertDeliveryConfig, AlertDestination } from "./alert-config.js";
import { alertPayload } from "./alert-payload.js";

const POLL_MS = 200;
const CONCURRENCY = 8;
const MAX_BACKOFF_S = 300;

export class AlertDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private ticking: Promise<void> | null = null;
  private readonly byName: Map<string, AlertDestination>;
  private stopped = false;
  /** Aborts tries in flight at stop: they stay pending and are tried again at the next start. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly alerts: AlertStore,
    private readonly config: AlertDeliveryConfig,
    private readonly baseUrl: () => string,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.byName = new Map(config.destinations.map((d) => [d.name, d]));
  }

  start(): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = null));
    }, POLL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    if (this.timer !== null) clearInterval(this.timer);
    await this.ticking;
    await Promise.allSettled(this.inFlight.values());
  }

  private async tick(): Promise<void> {
    try {
      await this.alerts.dispatchNew(this.config.destinations, this.now());
      const free = CONCURRENCY - this.inFlight.size;
      if (free <= 0 || this.stopped) return;
      const due = await this.alerts.dueDeliveries(this.now(), CONCURRENCY * 2);
      for (const delivery of due) {
        const key = `${delivery.alertId}\u0000${delivery.destination}`;
        if (this.inFlight.has(key) || this.inFlight.size >= CONCURRENCY) continue;
        const attempt = this.deliver(delivery).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, attempt);
      }
    } catch (error) {
      this.log(`alert delivery: ${String(error)}`);
    }
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const destination = this.byName.get(delivery.destination);
    const at = this.now();
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    if (destination === undefined) {
      error = "the destination is no longer configured";
    } else {
      try {
        const response = await fetch(destination.url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "stepwise-alerts" },
          body: JSON.stringify(alertPayload(destination.kind, delivery, this.baseUrl())),
          signal: AbortSignal.any([AbortSignal.timeout(this.config.timeoutS * 1000), this.stopping.signal]),
          redirect: "error",
        });
        status = response.status;
        await response.body?.cancel();
        if (!response.ok) error = `HTTP ${response.status}`;
      } catch (cause) {
        error = describe(cause, this.config.timeoutS);
      }
    }
    // Cut short by stop(): not a try; the delivery stays pending for the next start.
    if (this.stopped && error !== null) return;
    const ok = error === null;
    const tries = delivery.attempts + 1;
    const giveUp = ok || destination === undefined || tries >= this.config.maxAttempts;
    const next = giveUp ? null : this.now() + Math.min(MAX_BACKOFF_S, this.config.retryS * 2 ** (tries - 1));
    const ms = performance.now() - started;
    await this.alerts.recordAttempt(
      delivery.alertId,
      delivery.destination,
      { at, ok, status, error, ms },
      next,
    );
    if (!ok && next === null)
      this.log(
        `alert ${delivery.alertId} could not be delivered to ${delivery.destination} (${error ?? ""}); gave up after ${tries} tries`,
      );
  }
}

function describe(cause: unknown, timeoutS: number): string {
  if (cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError"))
    return `no answer within ${timeoutS} s`;
  const inner = cause instanceof Error && cause.cause instanceof Error ? `: ${cause.cause.message}` : "";
  return `${cause instanceof Error ? cause.message : String(cause)}${inner}`.slice(0, 500);
}
