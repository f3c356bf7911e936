import { describe, expect, it } from "vitest";
import { isAborted, joined, type Cached } from "../../src/lib/called-off.js";

const abortError = () => new DOMException("called off", "AbortError");

/** A load owned by `owner` that fails as an aborted fetch does when `owner` is aborted. */
function ownedBy(owner: AbortController, value: string): Cached<string> {
  const promise = new Promise<string>((resolve, reject) => {
    owner.signal.addEventListener("abort", () => reject(abortError()));
    setTimeout(() => resolve(value), 50);
  });
  promise.catch(() => undefined);
  return { promise, signal: owner.signal };
}

describe("called-off loads", () => {
  it("tells an abort from a failure", () => {
    expect(isAborted(abortError())).toBe(true);
    expect(isAborted(new Error("404"))).toBe(false);
  });

  it("asks again for a caller that joined a load its owner called off", async () => {
    const ahead = new AbortController();
    const entry = ownedBy(ahead, "fetched ahead");
    const shown = joined(entry, new AbortController().signal, () => Promise.resolve("asked again"));
    ahead.abort();
    await expect(shown).resolves.toBe("asked again");
  });

  it("gives the owner's result to a caller that joined a load that ran to its end", async () => {
    const entry = ownedBy(new AbortController(), "fetched ahead");
    await expect(joined(entry, undefined, () => Promise.resolve("asked again"))).resolves.toBe(
      "fetched ahead",
    );
  });

  it("does not ask again when the caller's own signal called the load off", async () => {
    const own = new AbortController();
    const entry = ownedBy(own, "x");
    own.abort();
    await expect(joined(entry, own.signal, () => Promise.resolve("asked again"))).rejects.toThrow(
      "called off",
    );
    const other = new AbortController();
    const second = ownedBy(other, "y");
    const mine = new AbortController();
    const waiting = joined(second, mine.signal, () => Promise.resolve("asked again"));
    mine.abort();
    other.abort();
    await expect(waiting).rejects.toThrow("called off");
  });

  it("passes a real failure on", async () => {
    const entry = { promise: Promise.reject(new Error("404")), signal: new AbortController().signal };
    await expect(joined(entry, undefined, () => Promise.resolve("asked again"))).rejects.toThrow("404");
  });
});
