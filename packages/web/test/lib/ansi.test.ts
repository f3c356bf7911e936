import { describe, expect, it } from "vitest";
import { color256, parseAnsi, stripAnsi } from "../../src/lib/ansi.js";

describe("parseAnsi", () => {
  it("keeps plain text as one unstyled span", () => {
    const spans = parseAnsi("epoch 1 loss 0.5");
    expect(spans.map((s) => s.text)).toEqual(["epoch 1 loss 0.5"]);
    expect(spans[0]?.style).toMatchObject({ fg: null, bg: null, bold: false });
  });

  it("colours and resets spans with SGR codes", () => {
    const spans = parseAnsi("\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[0m.");
    expect(spans.map((s) => s.text)).toEqual(["red", " and ", "bold green", "."]);
    expect(spans[0]?.style.fg).toBe("#cd3131");
    expect(spans[1]?.style.fg).toBeNull();
    expect(spans[2]?.style).toMatchObject({ fg: "#0dbc79", bold: true });
    expect(spans[3]?.style.bold).toBe(false);
  });

  it("reads 256-colour, true-colour, bright and background codes", () => {
    const [a, b, c, d] = parseAnsi("\u001b[38;5;196ma\u001b[38;2;1;2;3mb\u001b[94mc\u001b[42;39md");
    expect(a?.style.fg).toBe(color256(196));
    expect(color256(196)).toBe("#ff0000");
    expect(b?.style.fg).toBe("#010203");
    expect(c?.style.fg).toBe("#3b8eea");
    expect(d?.style).toMatchObject({ fg: null, bg: "#0dbc79" });
    expect(color256(244)).toBe("#808080");
  });

  it("drops other escape sequences (erase line, cursor moves, titles)", () => {
    const line = "\u001b[2K\u001b[1Gdone\u001b]0;title\u0007 100%";
    expect(
      parseAnsi(line)
        .map((s) => s.text)
        .join(""),
    ).toBe("done 100%");
    expect(stripAnsi("\u001b[1;31mERR\u001b[0m x")).toBe("ERR x");
  });

  it("turns off what 22, 23, 24 and 39 name only", () => {
    const spans = parseAnsi("\u001b[1;3;4;35mx\u001b[22;23my\u001b[24;39mz");
    expect(spans[0]?.style).toMatchObject({ bold: true, italic: true, underline: true, fg: "#bc3fbc" });
    expect(spans[1]?.style).toMatchObject({ bold: false, italic: false, underline: true, fg: "#bc3fbc" });
    expect(spans[2]?.style).toMatchObject({ underline: false, fg: null });
  });
});
