import { describe, expect, it } from "vitest";
import {
  decodeText,
  extensionOf,
  imageType,
  prettyJson,
  previewKind,
  rangeTotal,
  TEXT_PREVIEW_BYTES,
  textPreviewOf,
} from "../../src/lib/file-preview.js";

const kind = (path: string, contentType = "application/octet-stream") => previewKind({ path, contentType });

describe("previewKind", () => {
  it("goes by the content type when it says something", () => {
    expect(kind("x", "text/plain; charset=utf-8")).toBe("text");
    expect(kind("x", "application/json")).toBe("json");
    expect(kind("x", "application/vnd.api+json")).toBe("json");
    expect(kind("x", "image/png")).toBe("image");
    expect(kind("x", "application/pdf")).toBe("pdf");
    expect(kind("x", "application/zip")).toBe("none");
  });

  it("falls back to the extension for application/octet-stream", () => {
    expect(kind("output.log")).toBe("text");
    expect(kind("code/train.py")).toBe("text");
    expect(kind("diff.patch")).toBe("text");
    expect(kind("summary.json")).toBe("json");
    expect(kind("media/a.PNG")).toBe("image");
    expect(kind("paper.pdf")).toBe("pdf");
    expect(kind("Dockerfile")).toBe("text");
    expect(kind(".gitignore")).toBe("text");
    expect(kind("model.safetensors")).toBe("none");
    expect(kind("noextension")).toBe("none");
  });

  it("never shows HTML sent as an image type as anything but text", () => {
    expect(kind("page.html", "text/html")).toBe("text");
    expect(imageType({ path: "page.html", contentType: "text/html" })).toBeNull();
  });
});

describe("imageType", () => {
  it("is one of the image types an <img> shows, from the content type or the extension", () => {
    expect(imageType({ path: "a.bin", contentType: "image/webp" })).toBe("image/webp");
    expect(imageType({ path: "a.jpg", contentType: "application/octet-stream" })).toBe("image/jpeg");
    expect(imageType({ path: "a.svg", contentType: "" })).toBe("image/svg+xml");
    expect(imageType({ path: "a.tiff", contentType: "image/tiff" })).toBeNull();
  });
});

describe("extensionOf", () => {
  it("is the lower-cased text after the last dot of the name", () => {
    expect(extensionOf("a/b.c/File.TXT")).toBe("txt");
    expect(extensionOf("archive.tar.gz")).toBe("gz");
    expect(extensionOf("Makefile")).toBe("makefile");
  });
});

describe("decodeText", () => {
  const bytes = new TextEncoder().encode("héllo wörld");
  it("decodes UTF-8 and says whether the file holds more", () => {
    expect(decodeText(bytes, bytes.length)).toEqual({ text: "héllo wörld", truncated: false });
    expect(decodeText(bytes.subarray(0, 5), bytes.length)).toEqual({ text: "héll", truncated: true });
  });

  it("drops a character cut by the end of a truncated read, not shown as U+FFFD", () => {
    // "hé" is 68 C3 A9: cut after C3.
    expect(decodeText(bytes.subarray(0, 2), 100)).toEqual({ text: "h", truncated: true });
  });
});

describe("prettyJson", () => {
  it("indents a whole document by two spaces", () => {
    expect(prettyJson({ text: '{"a":[1,2],"b":{"c":null}}', truncated: false }).text).toBe(
      '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {\n    "c": null\n  }\n}',
    );
  });

  it("shows a truncated or invalid document as it is, saying why it did not parse", () => {
    expect(prettyJson({ text: '{"a":', truncated: true })).toEqual({ text: '{"a":', truncated: true });
    const invalid = prettyJson({ text: "{nope}", truncated: false });
    expect(invalid.text).toBe("{nope}");
    expect(invalid.jsonError).toMatch(/JSON/);
  });
});

describe("rangeTotal", () => {
  it("reads the total of a Content-Range header", () => {
    expect(rangeTotal("bytes 0-1048575/5000000")).toBe(5_000_000);
    expect(rangeTotal("bytes 0-9/*")).toBeNull();
    expect(rangeTotal(null)).toBeNull();
  });
});

describe("textPreviewOf", () => {
  const MIB = TEXT_PREVIEW_BYTES;
  const text = (length: number): string =>
    "0123456789abcdef\n".repeat(Math.ceil(length / 17)).slice(0, length);

  /** A body sent in 64 KiB chunks that counts how many were pulled. */
  function chunked(body: string): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
    const bytes = new TextEncoder().encode(body);
    let offset = 0;
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, offset + 65_536));
        offset += 65_536;
      },
    });
    return { stream, pulled: () => pulls };
  }

  it("takes a 206's first MiB and its Content-Range total (a server with Range support)", async () => {
    const first = text(MIB);
    const response = new Response(first, {
      status: 206,
      headers: { "content-range": `bytes 0-${MIB - 1}/${3 * MIB}` },
    });
    await expect(textPreviewOf(response, 3 * MIB)).resolves.toEqual({ text: first, truncated: true });
  });

  it("a 206 holding the whole file is not truncated", async () => {
    const response = new Response("short", { status: 206, headers: { "content-range": "bytes 0-4/5" } });
    await expect(textPreviewOf(response, 5)).resolves.toEqual({ text: "short", truncated: false });
  });

  it("reads a 200 (a server without Range support) only to the first MiB, then cancels it", async () => {
    const whole = text(20 * MIB);
    const { stream, pulled } = chunked(whole);
    const preview = await textPreviewOf(new Response(stream, { status: 200 }), whole.length);
    expect(preview).toEqual({ text: whole.slice(0, MIB), truncated: true });
    // 17 chunks of 64 KiB hold MiB + 1 bytes; the other 300 are never read.
    expect(pulled()).toBeLessThan(20);
  });

  it("a 200 of exactly one MiB, or less, is the whole file", async () => {
    const exact = text(MIB);
    await expect(textPreviewOf(new Response(chunked(exact).stream), MIB)).resolves.toEqual({
      text: exact,
      truncated: false,
    });
    await expect(textPreviewOf(new Response("tiny\n"), 5)).resolves.toEqual({
      text: "tiny\n",
      truncated: false,
    });
  });
});
