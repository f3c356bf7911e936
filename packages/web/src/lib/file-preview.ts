/**
 * What the Files tab's preview pane does with a run file: which kind of preview it gets (from
 * its content type, else its extension: the SDK and `curl -T` often send
 * `application/octet-stream`), how much of it is read, and how text and JSON are shown.
 */

/** Text previews read the first 1 MiB (a Range request): enough to read, cheap on a 10 GB log. */
export const TEXT_PREVIEW_BYTES = 1024 * 1024;
/** Images and PDFs are read whole into a blob: URL; larger ones are offered as a download. */
export const MEDIA_PREVIEW_BYTES = 32 * 1024 * 1024;

export type PreviewKind = "text" | "json" | "image" | "pdf" | "none";

/** Image types an `<img>` shows; the blob is built with this type, never the server's. */
const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  bmp: "image/bmp",
  ico: "image/x-icon",
  // An SVG in an <img> runs no script.
  svg: "image/svg+xml",
};

const JSON_EXTENSIONS = new Set(["json", "ipynb", "geojson"]);

const TEXT_EXTENSIONS = new Set(
  (
    "txt log out err md markdown rst csv tsv jsonl ndjson yaml yml toml ini cfg conf env properties " +
    "patch diff py pyi ipy js mjs cjs ts tsx jsx c h cc cpp hpp cu cuh rs go java kt scala rb php pl " +
    "r jl lua swift sh bash zsh fish ps1 bat sql xml html htm css scss proto gradle cmake mk makefile " +
    "dockerfile gitignore lock srt vtt tex bib"
  ).split(" "),
);

const TEXT_TYPES =
  /^(text\/|application\/(json|x-ndjson|xml|javascript|x-yaml|yaml|toml|x-sh|sql)\b|.*\+(json|xml)\b)/;

/** The file's extension, lower case. */
export function extensionOf(path: string): string {
  const name = (path.split("/").pop() ?? "").toLowerCase();
  const dot = name.lastIndexOf(".");
  // `.gitignore` counts as `gitignore`, `Makefile` as `makefile`.
  return dot === -1 ? name : name.slice(dot + 1);
}

export function previewKind(file: { path: string; contentType: string }): PreviewKind {
  const type = file.contentType.toLowerCase().split(";")[0]?.trim() ?? "";
  const ext = extensionOf(file.path);
  if (type === "application/pdf" || ext === "pdf") return "pdf";
  if (imageType(file) !== null) return "image";
  if (type === "application/json" || type.endsWith("+json") || JSON_EXTENSIONS.has(ext)) return "json";
  if (TEXT_TYPES.test(type) || TEXT_EXTENSIONS.has(ext)) return "text";
  return "none";
}

/** The image type to build the preview's blob with, or null when the file is no image we show. */
export function imageType(file: { path: string; contentType: string }): string | null {
  const type = file.contentType.toLowerCase().split(";")[0]?.trim() ?? "";
  const known = Object.values(IMAGE_TYPES).find((t) => t === type);
  return known ?? IMAGE_TYPES[extensionOf(file.path)] ?? null;
}

export interface TextPreview {
  text: string;
  /** The file holds more than `text` shows. */
  truncated: boolean;
  /** JSON that did not parse (shown as it is): why. */
  jsonError?: string;
}

/**
 * The text of the first bytes of a file of `total` bytes. A multi-byte character cut at the end
 * of a truncated read is dropped rather than shown as U+FFFD.
 */
export function decodeText(bytes: Uint8Array, total: number): TextPreview {
  const truncated = total > bytes.length;
  const text = new TextDecoder("utf-8").decode(bytes, { stream: truncated });
  return { text, truncated };
}

/** JSON indented by two spaces; a truncated or invalid document is shown as it is. */
export function prettyJson(preview: TextPreview): TextPreview {
  if (preview.truncated) return preview;
  try {
    return { ...preview, text: JSON.stringify(JSON.parse(preview.text), null, 2) };
  } catch (error) {
    return { ...preview, jsonError: error instanceof Error ? error.message : String(error) };
  }
}

/** The `total` of `Content-Range: bytes 0-1048575/total` (a 206's header), or null. */
export function rangeTotal(contentRange: string | null): number | null {
  const total = /\/(\d+)\s*$/.exec(contentRange ?? "")?.[1];
  return total === undefined ? null : Number(total);
}

/**
 * The text preview from the answer to `Range: bytes=0-(TEXT_PREVIEW_BYTES - 1)`: a 206 with the
 * first MiB (its Content-Range says the total), or a 200 with the whole file from a server
 * without Range support, read only that far and then cancelled. `listed` is the size the file
 * list gave, for a 206 without a total.
 */
export async function textPreviewOf(response: Response, listed: number): Promise<TextPreview> {
  // One byte more than shown tells a 200 (the whole file) that is longer from one that is not.
  const bytes = await readAtMost(response, TEXT_PREVIEW_BYTES + 1);
  const total =
    response.status === 206 ? (rangeTotal(response.headers.get("content-range")) ?? listed) : bytes.length;
  return decodeText(bytes.subarray(0, TEXT_PREVIEW_BYTES), total);
}

/** The body's first `max` bytes at most; the rest is never downloaded (the stream is cancelled). */
async function readAtMost(response: Response, max: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(await response.arrayBuffer()).subarray(0, max);
  const chunks: Uint8Array[] = [];
  let received = 0;
  while (received < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
  }
  if (received >= max) await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(Math.min(received, max));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
