/**
 * The streamed NDJSON body of `scanHistory()`: ASCII chunks are read without the UTF-8 decoder,
 * and the lines come out the same as decoding the whole body at once, wherever the chunks cut
 * it (inside a multi-byte character, right after one, between an ASCII and a non-ASCII chunk).
 */
import { describe, expect, it } from "vitest";
import { ndjsonTexts } from "../src/api/ndjson-lines.js";

function bodyOf(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.slice(from, cut));
    from = cut;
  }
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function linesOf(bytes: Uint8Array, cuts: number[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const text of ndjsonTexts(bodyOf(bytes, cuts))) lines.push(...text.split("\n"));
  return lines;
}

const ROWS = [
  '{"_step":0,"loss":NaN,"acc":Infinity}',
  '{"_step":1,"note":"héllo wörld","emoji":"🚀 ok"}',
  '{"_step":2,"loss":-Infinity,"名前":"値"}',
  '{"_step":3,"plain":"ascii only","x":1.5e-7}',
];
const BYTES = new TextEncoder().encode(ROWS.join("\n") + "\n");

describe("ndjsonTexts", () => {
  it("gives every line of the body whatever the chunk boundaries", async () => {
    for (let a = 1; a < BYTES.length; a += 3)
      for (const b of [a + 1, a + 2, a + 7, BYTES.length - 1])
        if (b < BYTES.length) expect(await linesOf(BYTES, [a, b])).toEqual(ROWS);
  });

  it("gives one-byte chunks the same lines (every character cut)", async () => {
    const cuts = Array.from({ length: BYTES.length - 1 }, (_, i) => i + 1);
    expect(await linesOf(BYTES, cuts)).toEqual(ROWS);
  });

  it("keeps a last line without a line break, and replaces a cut character at the end as the decoder does", async () => {
    const text = '{"a":1}\n{"b":"é"}';
    const bytes = new TextEncoder().encode(text);
    expect(await linesOf(bytes, [3, 12])).toEqual(['{"a":1}', '{"b":"é"}']);
    const cutShort = bytes.slice(0, bytes.length - 3); // ends inside "é"
    expect(await linesOf(cutShort, [5])).toEqual([
      '{"a":1}',
      new TextDecoder().decode(cutShort).split("\n")[1],
    ]);
  });

  it("reads a cut character followed by an ASCII chunk as the UTF-8 decoder does", async () => {
    // "é" is C3 A9: a chunk ending in C3, then an ASCII chunk (invalid UTF-8: U+FFFD, as before).
    const bytes = new Uint8Array([0x7b, 0x7d, 0x0a, 0x22, 0xc3, 0x22, 0x0a, 0x31, 0x0a]);
    expect(await linesOf(bytes, [5])).toEqual(new TextDecoder().decode(bytes).trimEnd().split("\n"));
  });
});
