/**
 * Segmentation masks over an image: a mask PNG holds one class id per pixel (its grey value,
 * reference § 8.1); each class gets a fixed colour, and the overlay blends that colour over the
 * image pixels at the chosen opacity, leaving out the classes (and masks) switched off.
 */

/** Distinct, saturated colours; class ids past the list wrap around. Class 0 is usually background. */
const PALETTE: readonly (readonly [number, number, number])[] = [
  [230, 25, 75],
  [60, 180, 75],
  [0, 130, 200],
  [255, 225, 25],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [210, 245, 60],
  [250, 190, 212],
  [0, 128, 128],
  [170, 110, 40],
];

export function classColor(classId: number): readonly [number, number, number] {
  return PALETTE[((classId % PALETTE.length) + PALETTE.length) % PALETTE.length] ?? [255, 0, 0];
}

export function classColorCss(classId: number): string {
  const [r, g, b] = classColor(classId);
  return `rgb(${r}, ${g}, ${b})`;
}

/** The class ids present in a mask's RGBA pixels (class = red channel), ascending. */
export function maskClasses(mask: Uint8ClampedArray): number[] {
  const seen = new Uint8Array(256);
  for (let i = 0; i < mask.length; i += 4) seen[mask[i] ?? 0] = 1;
  const out: number[] = [];
  for (let c = 0; c < 256; c++) if (seen[c] === 1) out.push(c);
  return out;
}

/**
 * Blends a mask over image pixels in place: each pixel whose class is shown takes
 * `(1 − opacity) · image + opacity · colour`. Both are RGBA of the same size (the caller scales
 * a mask of another size to the image first).
 */
export function blendMask(
  image: Uint8ClampedArray,
  mask: Uint8ClampedArray,
  hidden: ReadonlySet<number>,
  opacity: number,
): void {
  const a = Math.min(1, Math.max(0, opacity));
  if (a === 0) return;
  const n = Math.min(image.length, mask.length);
  for (let i = 0; i < n; i += 4) {
    const cls = mask[i] ?? 0;
    if (hidden.has(cls)) continue;
    const [r, g, b] = classColor(cls);
    image[i] = (1 - a) * (image[i] ?? 0) + a * r;
    image[i + 1] = (1 - a) * (image[i + 1] ?? 0) + a * g;
    image[i + 2] = (1 - a) * (image[i + 2] ?? 0) + a * b;
  }
}

/**
 * Class labels of a mask or box set from the run's config, where W&B keeps them once per run:
 * `_wandb["mask/class_labels"]["<key>_wandb_delimeter_<name>"].value` (the upstream spelling).
 */
export function configClassLabels(
  config: Record<string, unknown>,
  kind: "mask" | "bounding_box",
  key: string,
  name: string,
): Record<number, string> {
  const wandb = config["_wandb"];
  const table = isObject(wandb) ? wandb[`${kind}/class_labels`] : undefined;
  const entry = isObject(table) ? table[`${key}_wandb_delimeter_${name}`] : undefined;
  const value = isObject(entry) ? (isObject(entry["value"]) ? entry["value"] : entry) : undefined;
  const out: Record<number, string> = {};
  if (value !== undefined)
    for (const [id, label] of Object.entries(value)) if (/^\d+$/.test(id)) out[Number(id)] = String(label);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
