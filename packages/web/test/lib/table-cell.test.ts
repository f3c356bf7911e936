import { describe, expect, it } from "vitest";
import { cellView } from "../../src/lib/table-cell.js";

describe("cellView", () => {
  it("shows numbers compact and right-aligned with the exact value as the title", () => {
    expect(cellView(0.123456789)).toEqual({
      kind: "text",
      text: "0.1235",
      title: "0.123456789",
      align: "right",
    });
    expect(cellView(42)).toMatchObject({ text: "42", align: "right" });
  });
  it("shows strings, booleans, null and nested JSON as text", () => {
    expect(cellView("cat")).toMatchObject({ kind: "text", text: "cat" });
    expect(cellView(true)).toMatchObject({ text: "true" });
    expect(cellView(null)).toMatchObject({ text: "null" });
    expect(cellView({ a: [1, 2] })).toMatchObject({ text: '{"a":[1,2]}' });
    expect(cellView(undefined)).toEqual({ kind: "empty" });
  });
  it("turns a logged image into a thumbnail of its run file, other media into a file link", () => {
    const image = {
      _type: "image-file",
      path: "media/images/x_0_ab.png",
      width: 2,
      height: 2,
      caption: "a cat",
    };
    expect(cellView(image)).toEqual({ kind: "image", path: "media/images/x_0_ab.png", caption: "a cat" });
    expect(cellView({ _type: "audio-file", path: "media/audio/a.wav" })).toEqual({
      kind: "file",
      path: "media/audio/a.wav",
      type: "audio-file",
    });
  });
  it("clips long text but keeps it whole in the title", () => {
    const view = cellView("x".repeat(500));
    expect(view).toMatchObject({ kind: "text", title: "x".repeat(500) });
    expect(view.kind === "text" && view.text.length).toBe(200);
  });
});
