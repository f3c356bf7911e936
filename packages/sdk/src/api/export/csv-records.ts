/**
 * CSV records as the server writes them (RFC 4180: a field holding a comma, quote or line break
 * is quoted, inner quotes doubled): split into records (a line break inside quotes is data) and
 * fields, keeping each field's text as written so that it is copied, never re-encoded.
 */

/** Splits text into complete records; returns them and the unfinished rest. */
export function splitRecords(text: string): { records: string[]; rest: string } {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) quoted = !quoted;
    else if (code === 10 && !quoted) {
      records.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return { records, rest: text.slice(start) };
}

/** The fields of one record, as written (quotes kept). */
export function splitFields(record: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const code = record.charCodeAt(i);
    if (code === 34) quoted = !quoted;
    else if (code === 44 && !quoted) {
      fields.push(record.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(record.slice(start));
  return fields;
}

/** A header field's name: the text between the quotes, doubled quotes made single. */
export function unquoteField(field: string): string {
  return field.startsWith('"') && field.endsWith('"') && field.length >= 2
    ? field.slice(1, -1).replace(/""/g, '"')
    : field;
}
