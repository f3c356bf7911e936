/**
 * The shared-memory ring between `log()` (producer, main thread) and the writer worker
 * (consumer). Single producer, single consumer. Positions are byte offsets in [0, capacity).
 * One byte always stays free so that head === tail means "empty".
 *
 * Ring frame: u32 byteLength | u32 flags | payload. flags bit 0 = "more pieces follow" (a
 * record bigger than a quarter of the ring travels in pieces). A byteLength of WRAP_MARKER,
 * or fewer than RING_FRAME_HEADER bytes left before the end, sends the reader back to 0.
 */
export const CONTROL_SLOTS = 16;
export const SLOT = {
  /** Producer position (written by main). */
  head: 0,
  /** Consumer position (written by the worker). */
  tail: 1,
  /** Flush requests issued by main (a counter). */
  flushRequested: 2,
  /** Last flush request the worker completed: everything before it written and fsynced. */
  flushDone: 3,
  /** 1 once main asked the worker to finish and exit. */
  close: 4,
  /** Set once the worker has closed the file and stopped: 1 with every record written, 2 with records its disk would not take. */
  exited: 5,
  /** Failed write or sync attempts so far (the worker keeps retrying). */
  writeErrors: 6,
  /** Never written: the worker sleeps on it between retries. */
  sleep: 7,
  /** Frames the worker has consumed so far: written, held or dropped (wraps; compared modulo 2^32). */
  consumedFrames: 8,
  /** 0 while writes succeed; else why they fail (DISK_PROBLEM) and the worker holds records in memory. */
  diskProblem: 9,
  /** Bumped each time writes start or stop failing, so the producer reports each change once. */
  diskEpisodes: 10,
  /** History rows consumed but never written, because writes failed and the hold was full. */
  droppedRows: 11,
  /** Other records (config, summary, exit…) never written for the same reason. */
  droppedRecords: 12,
  /** KiB held in memory while writes fail. */
  heldKiB: 13,
} as const;
export type SlotTable = typeof SLOT;
export const RING_FRAME_HEADER = 8;
/**
 * Frame kinds (flags bits 8–15). JSON: the payload is a record's text. KEY and ROW: the payload
 * is the body of a PAYLOAD_KEY / PAYLOAD_ROW record (log-format.ts) without its leading byte.
 */
export const KIND_SHIFT = 8;
export const KIND_JSON = 0;
export const KIND_KEY = 1;
export const KIND_ROW = 2;
/** A history row waiting for its media files, expanded by the worker (deferred-row.ts). */
export const KIND_DEFERRED = 3;
export const WRAP_MARKER = 0xffffffff;
export const FLAG_CONTINUED = 1;

/** Why the worker cannot write (SLOT.diskProblem); the errno codes it maps from. */
export const DISK_PROBLEM_CODES = ["", "ENOSPC", "EDQUOT", "EIO", "EROFS", "OTHER"] as const;
export type DiskProblemCode = Exclude<(typeof DISK_PROBLEM_CODES)[number], "">;
