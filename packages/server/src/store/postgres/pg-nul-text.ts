/**
 * Console lines in PostgreSQL text, exactly. PostgreSQL text cannot hold U+0000, which a program
 * may print (SQLite stores it as is), so a line holding it is kept as U+0001 followed by the line
 * as a JSON string (JSON escapes U+0000); a line that itself begins with U+0001 is kept the same
 * way, so every stored body decodes to the line that was sent. Other lines, nearly all, are kept
 * unchanged: one `includes` scan per line on write, one character test on read.
 */
const MARK = "\u0001";

export function toPgText(line: string): string {
  return line.startsWith(MARK) || line.includes("\u0000") ? MARK + JSON.stringify(line) : line;
}

export function fromPgText(body: string): string {
  return body.startsWith(MARK) ? (JSON.parse(body.slice(1)) as string) : body;
}
