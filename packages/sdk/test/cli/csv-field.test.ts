/** CSV encoding: RFC 4180 quoting, non-finite numbers, missing values, JSON leaves. */
import { describe, expect, it } from "vitest";
import { encodeCsvField, quoteCsvText } from "@stepwise/protocol";
import { encodeCsvHeader, encodeCsvLine } from "../../src/cli/format/csv-line.js";

describe("encodeCsvField", () => {
  it("writes numbers in JSON spelling and non-finite ones as NaN / Infinity / -Infinity", () => {
    expect(encodeCsvField(0.1)).toBe("0.1");
    expect(encodeCsvField(-3)).toBe("-3");
    expect(encodeCsvField(1e21)).toBe("1e+21");
    expect(encodeCsvField(Number.NaN)).toBe("NaN");
    expect(encodeCsvField(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(encodeCsvField(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
  });

  it("leaves missing values and null empty", () => {
    expect(encodeCsvField(undefined)).toBe("");
    expect(encodeCsvField(null)).toBe("");
  });

  it("quotes strings only when they hold a comma, a quote or a line break", () => {
    expect(encodeCsvField("plain text")).toBe("plain text");
    expect(encodeCsvField("a,b")).toBe('"a,b"');
    expect(encodeCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(encodeCsvField("two\nlines")).toBe('"two\nlines"');
    expect(encodeCsvField("cr\rhere")).toBe('"cr\rhere"');
    expect(quoteCsvText("")).toBe("");
  });

  it("writes arrays and data-type objects as quoted extended JSON", () => {
    expect(encodeCsvField([1, Number.NaN])).toBe('"[1,NaN]"');
    expect(encodeCsvField({ _type: "image-file", path: "a.png" })).toBe(
      '"{""_type"":""image-file"",""path"":""a.png""}"',
    );
  });

  it("writes booleans as true / false", () => {
    expect(encodeCsvField(true)).toBe("true");
    expect(encodeCsvField(false)).toBe("false");
  });
});

describe("encodeCsvLine", () => {
  it("puts each column's value in place and leaves absent ones empty", () => {
    const row = new Map<string, unknown>([
      ["b", "x,y"],
      ["_step", 3],
    ]);
    expect(encodeCsvLine(["_step", "a", "b"], row)).toBe('3,,"x,y"\n');
  });

  it("quotes header names that need it", () => {
    expect(encodeCsvHeader(["_step", "odd,name"])).toBe('_step,"odd,name"\n');
  });
});
