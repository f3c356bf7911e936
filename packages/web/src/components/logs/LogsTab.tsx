/**
 * The run page's Logs tab: what the run's process printed (console capture), with its ANSI
 * colours, time and stream; a search box and a stdout/stderr filter (both answered by the
 * server), a live tail while the run runs (new lines appear and the view follows the end unless
 * scrolled up), and the whole console as `output.log`.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { consolePaths, type ConsoleStream, type RunDto, type RunRef } from "@stepwise/protocol";
import { parseAnsi } from "../../lib/ansi.js";
import { MAX_LINES, useConsoleLines, type LogLine } from "./useConsoleLines.js";
import "../../styles/logs.css";

const SEARCH_DEBOUNCE_MS = 300;

export function LogsTab({ runRef, run }: { runRef: RunRef; run: RunDto }) {
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [stream, setStream] = useState<ConsoleStream | "all">("all");
  const [follow, setFollow] = useState(true);
  const live = run.state === "running";
  const { lines, total, loading, error } = useConsoleLines(runRef, { search, stream }, live);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element !== null && follow) element.scrollTop = element.scrollHeight;
  }, [lines, follow]);

  const onScroll = (): void => {
    const element = scroller.current;
    if (element === null) return;
    const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    if (atEnd !== follow) setFollow(atEnd);
  };

  return (
    <section className="logs-tab" data-testid="logs-tab" id="logs">
      <div className="card-head logs-head">
        <h2>Logs</h2>
        <input
          type="search"
          className="logs-search"
          placeholder="Search the logs"
          aria-label="Search the logs"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
        <select
          aria-label="Stream"
          className="logs-stream"
          value={stream}
          onChange={(event) => setStream(event.target.value as ConsoleStream | "all")}
        >
          <option value="all">stdout and stderr</option>
          <option value="stdout">stdout</option>
          <option value="stderr">stderr</option>
        </select>
        {live && (
          <span className={follow ? "logs-live following" : "logs-live"} data-testid="logs-live">
            {follow ? "Live: following the end" : "Live (scrolled up)"}
          </span>
        )}
        <a
          className="logs-download"
          href={consolePaths.outputLog(runRef)}
          download="output.log"
          data-testid="logs-download"
        >
          Download output.log
        </a>
      </div>
      {error !== null && (
        <div className="inline-error" role="status">
          The logs could not be loaded: {error instanceof Error ? error.message : "unknown error"}
        </div>
      )}
      <div className="logs-body" ref={scroller} onScroll={onScroll} data-testid="logs-body">
        {lines.length === 0 && !loading ? (
          <p className="logs-empty" data-testid="logs-empty">
            {search !== "" || stream !== "all"
              ? "No line matches."
              : "No console output. A run captures what its process prints unless init() was given settings.consoleCapture: false."}
          </p>
        ) : (
          lines.map((line) => <LogRow key={line.index} line={line} />)
        )}
      </div>
      <div className="logs-foot" data-testid="logs-count">
        {lines.length} {lines.length === 1 ? "line" : "lines"} shown of {total}
        {lines.length >= MAX_LINES ? ` (the last ${MAX_LINES}; download output.log for all)` : ""}
      </div>
    </section>
  );
}

function LogRow({ line }: { line: LogLine }) {
  return (
    <div
      className={`log-line ${line.stream}`}
      data-testid="log-line"
      data-stream={line.stream}
      data-index={line.index}
    >
      <span className="log-time">{line.time > 0 ? new Date(line.time).toLocaleTimeString() : ""}</span>
      <span className="log-text">
        {parseAnsi(line.text).map((span, i) => (
          <span key={i} style={spanStyle(span.style)}>
            {span.text}
          </span>
        ))}
      </span>
    </div>
  );
}

function spanStyle(style: ReturnType<typeof parseAnsi>[number]["style"]): React.CSSProperties | undefined {
  if (
    style.fg === null &&
    style.bg === null &&
    !style.bold &&
    !style.dim &&
    !style.italic &&
    !style.underline &&
    !style.inverse
  )
    return undefined;
  const fg = style.inverse ? style.bg : style.fg;
  const bg = style.inverse ? (style.fg ?? "currentColor") : style.bg;
  const css: React.CSSProperties = {};
  if (fg !== null) css.color = fg;
  if (bg !== null) css.backgroundColor = bg;
  if (style.bold) css.fontWeight = "bold";
  if (style.dim) css.opacity = 0.7;
  if (style.italic) css.fontStyle = "italic";
  if (style.underline) css.textDecoration = "underline";
  return css;
}
