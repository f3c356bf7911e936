/**
 * What the uploader does when the server refuses a batch for its content (400, 413, 422): find
 * the record it refuses, set it aside (quarantine.ts) and send everything else. The refused
 * batch is split in halves, then halves of the refused half, until one record is refused alone;
 * that one is quarantined. After each refusal the log is read again from the last acknowledged
 * record, so the batches, stream offsets and summary are rebuilt without the quarantined record.
 * Once the upload is past the refused batch, batches are full size again.
 */
import type { RunRecord } from "@stepwise/protocol";
import type { BatchBuilder, SealedBatch } from "./batch-builder.js";
import { appendQuarantine, quarantinedOffsets, readQuarantineSummary } from "./quarantine.js";

/**
 * A refusal about what the batch holds (the error catalogue's INVALID_DATA or PAYLOAD_TOO_LARGE),
 * not about who sends it, where to, or in what order (auth, a bad path, gaps, writer identity).
 */
export function isRecordRefusal(status: number, code: string | undefined, message: string): boolean {
  if (code !== "INVALID_DATA" && code !== "PAYLOAD_TOO_LARGE") return false;
  if (status !== 400 && status !== 413) return false;
  // A bad run path or query is the same for every record: isolating would quarantine them all.
  return !/(^|\s|: )(path|query)\./.test(message);
}

export class RecordIsolation {
  private readonly quarantined: Set<number>;
  /** Log offset the isolation lasts to (the end of the first refused batch), or null. */
  private until: number | null = null;
  /** Set when a record was quarantined and the server has not been told yet. */
  noteDue = false;

  constructor(
    private readonly runDir: string,
    private readonly builder: () => BatchBuilder,
  ) {
    this.quarantined = quarantinedOffsets(runDir);
    this.noteDue = this.quarantined.size > 0;
  }

  get offsets(): ReadonlySet<number> {
    return this.quarantined;
  }

  /**
   * The server refused `sealed`: halves the batches, or quarantines its one record. Returns the
   * record's kind when it was quarantined, else null. The caller re-reads the log.
   */
  refused(sealed: SealedBatch, status: number, reason: string): RunRecord["t"] | null {
    const builder = this.builder();
    this.until = Math.max(this.until ?? 0, sealed.endOffset);
    const sole = sealed.soleEntry;
    if (sealed.records > 1 || sole === null) {
      builder.recordLimit = Math.max(1, Math.floor(sealed.records / 2));
      return null;
    }
    appendQuarantine(this.runDir, {
      logOffset: sole.offset,
      kind: sole.record.t,
      status,
      reason,
      time: Date.now() / 1000,
      record: sole.record,
    });
    this.quarantined.add(sole.offset);
    this.noteDue = true;
    return sole.record.t;
  }

  /** After an acknowledged batch: past the refused region, batches are full size again. */
  acknowledged(logOffset: number): void {
    if (this.until !== null && logOffset >= this.until) {
      this.until = null;
      this.builder().recordLimit = null;
    }
  }

  summary(): { records: number; firstReason: string | null; file: string } {
    return readQuarantineSummary(this.runDir);
  }
}
