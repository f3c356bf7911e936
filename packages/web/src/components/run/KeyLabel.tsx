/** A dotted key with its parent path drawn faint, so that the leaf names line up and read first. */
import { appendDottedSegment } from "@stepwise/protocol";

export function KeyLabel({ dottedKey, segments }: { dottedKey: string; segments: readonly string[] }) {
  const leaf = appendDottedSegment("", segments[segments.length - 1] ?? dottedKey);
  const parent = dottedKey.slice(0, dottedKey.length - leaf.length);
  return (
    <>
      {parent !== "" && <span className="key-parent">{parent}</span>}
      {leaf}
    </>
  );
}
