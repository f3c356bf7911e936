/**
 * ANSI colours of console lines: a small SGR parser. Splits a line into spans with the colour and
 * weight its `ESC[…m` codes set (the 8/16 standard colours, 256-colour `38;5;n` and true-colour
 * `38;2;r;g;b`, bold, dim, italic, underline, inverse, resets); every other escape sequence
 * (cursor moves, erase line, OSC titles) is dropped, so the text reads as the terminal showed it.
 */
export interface AnsiStyle {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
}

export interface AnsiSpan {
  text: string;
  style: AnsiStyle;
}

const PLAIN: AnsiStyle = {
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
};

/** xterm's default palette for colours 0–15. */
const BASIC = [
  "#000000",
  "#cd3131",
  "#0dbc79",
  "#e5e510",
  "#2472c8",
  "#bc3fbc",
  "#11a8cd",
  "#e5e5e5",
  "#666666",
  "#f14c4c",
  "#23d18b",
  "#f5f543",
  "#3b8eea",
  "#d670d6",
  "#29b8db",
  "#ffffff",
];

export function color256(n: number): string {
  if (n < 16) return BASIC[n] as string;
  if (n < 232) {
    const i = n - 16;
    const level = (v: number): number => (v === 0 ? 0 : 55 + v * 40);
    return rgb(level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6));
  }
  const grey = 8 + (n - 232) * 10;
  return rgb(grey, grey, grey);
}

function rgb(r: number, g: number, b: number): string {
  const hex = (v: number): string => Math.max(0, Math.min(255, v)).toString(16).padStart(2, "0");
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

// CSI sequences (ESC [ params final), OSC sequences (ESC ] … BEL or ESC \), and other two-byte escapes.
// eslint-disable-next-line no-control-regex -- escape sequences are what this matches
const ESCAPE = /\u001b\[([0-9;:?]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]?/g;

export function parseAnsi(line: string): AnsiSpan[] {
  const spans: AnsiSpan[] = [];
  let style = PLAIN;
  let last = 0;
  const push = (text: string): void => {
    if (text === "") return;
    const prev = spans[spans.length - 1];
    if (prev !== undefined && prev.style === style) prev.text += text;
    else spans.push({ text, style });
  };
  for (const match of line.matchAll(ESCAPE)) {
    push(line.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === "m") style = applySgr(style, match[1] ?? "");
  }
  push(line.slice(last));
  return spans;
}

/** The line's text without escape sequences (what search matches and what is copied). */
export function stripAnsi(line: string): string {
  return line.replace(ESCAPE, "");
}

function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => (p === "" ? 0 : Number(p)));
  const next = { ...current };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code === 0) Object.assign(next, PLAIN);
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 22) next.bold = next.dim = false;
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code === 27) next.inverse = false;
    else if (code >= 30 && code <= 37) next.fg = BASIC[code - 30] as string;
    else if (code === 39) next.fg = null;
    else if (code >= 40 && code <= 47) next.bg = BASIC[code - 40] as string;
    else if (code === 49) next.bg = null;
    else if (code >= 90 && code <= 97) next.fg = BASIC[code - 90 + 8] as string;
    else if (code >= 100 && code <= 107) next.bg = BASIC[code - 100 + 8] as string;
    else if (code === 38 || code === 48) {
      const mode = codes[i + 1];
      let value: string;
      if (mode === 5 && codes[i + 2] !== undefined) {
        value = color256(Math.min(255, codes[i + 2] as number));
        i += 2;
      } else if (mode === 2 && codes[i + 4] !== undefined) {
        value = rgb(codes[i + 2] as number, codes[i + 3] as number, codes[i + 4] as number);
        i += 4;
      } else break;
      if (code === 38) next.fg = value;
      else next.bg = value;
    }
  }
  return next;
}
