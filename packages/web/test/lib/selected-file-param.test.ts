import { describe, expect, it } from "vitest";
import { parseSelectedFile, withSelectedFile } from "../../src/lib/selected-file-param.js";

describe("selected file in the URL", () => {
  it("keeps `/` readable and encodes the rest, round-tripping any path", () => {
    const path = "media/my image #1 & 100%.png";
    const query = withSelectedFile("", path);
    expect(query).toBe("file=media/my%20image%20%231%20%26%20100%25.png");
    expect(parseSelectedFile(query)).toBe(path);
    expect(parseSelectedFile(`?${query}`)).toBe(path);
  });

  it("replaces a selection, clears it with null, and keeps other parameters", () => {
    expect(withSelectedFile("?x=1&file=a.txt", "b/c.txt")).toBe("x=1&file=b/c.txt");
    expect(withSelectedFile("x=1&file=a.txt", null)).toBe("x=1");
    expect(parseSelectedFile("x=1")).toBeNull();
    expect(parseSelectedFile("file=")).toBeNull();
  });
});
