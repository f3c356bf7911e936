/**
 * How history is written as CSV, by the CLI and by the server alike: one value as an RFC 4180 field. Numbers keep their JSON spelling, with `NaN`,
 * `Infinity` and `-Infinity` for non-finite values; missing values and null are empty;
 * arrays and data-type objects are their extended-JSON text, always quoted.
 */
import { encodeNumber, stringifyExtended } from "./extended-json.js";

export function encodeCsvField(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "";
    case "number":
      return encodeNumber(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "string":
      return quoteCsvText(value);
    case "object":
      return value === null ? "" : quoteAlways(stringifyExtended(value));
    default:
      return "";
  }
}

/** Quotes text only when it holds a comma, a double quote or a line break (RFC 4180 §2.6). */
export function quoteCsvText(text: string): string {
  return /[",\r\n]/.test(text) ? quoteAlways(text) : text;
}

function quoteAlways(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
