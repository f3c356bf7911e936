/**
 * Compact text for a config or summary value in a table cell: 4 significant digits, exponents
 * for very large or small numbers, `[histogram]` for logged media and the like, nested objects
 * as `key value` pairs, short JSON for arrays. The full value goes into the cell's title.
 */

const MAX_TEXT = 80;

export function formatCellValue(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return truncate(value);
  if (typeof value === "object" && !Array.isArray(value)) {
    const type = (value as Record<string, unknown>)._type;
    if (typeof type === "string") return `[${type}]`;
    return truncate(formatMembers(value as Record<string, unknown>));
  }
  // JSON.stringify answers undefined for functions and symbols, which no API value holds.
  return truncate(JSON.stringify(value) ?? "");
}

/**
 * A nested value (a summary with aggregations: `{ max: 0.97, min: 0.1 }`) as its members'
 * values, `max 0.97 · min 0.1`, not raw JSON; deeper objects nest in braces.
 */
function formatMembers(value: Record<string, unknown>): string {
  const parts = Object.entries(value)
    .filter(([, member]) => member !== undefined)
    .map(([key, member]) => {
      const isObject = member !== null && typeof member === "object" && !Array.isArray(member);
      return `${key} ${isObject ? `{${formatCellValue(member)}}` : formatCellValue(member)}`;
    });
  return parts.join(" · ");
}

/** `0.9123`, `12`, `1234567` → `1.235e+6`, `0.0001234` → `1.234e-4`, `NaN`, `inf`, `-inf`. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) {
    const [mantissa = "", exponent = ""] = value.toExponential(3).split("e");
    return `${trimZeros(mantissa)}e${exponent}`;
  }
  return trimZeros(value.toPrecision(4));
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function truncate(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
