/** `stepwise presets --help`: the four subcommands, their options and examples. */
export const PRESETS_HELP = `Usage: stepwise presets ls [--json]
       stepwise presets get <id>
       stepwise presets put <id> <file.json | ->
       stepwise presets rm <id>

Chart presets of a Stepwise server: Vega-Lite specs whose data is {"name": "table"}, with
\${field:<name>} where a bound column goes and \${string:<name>} where bound text goes. The
built-in presets (stepwise/line/v0, stepwise/scatter/v0, stepwise/bar/v0, stepwise/histogram/v0,
stepwise/lineseries/v0, stepwise/pr-curve/v0, stepwise/roc-curve/v0, stepwise/confusion-matrix/v0,
…) are read-only; yours are named <entity>/<name>[/vN].

  ls    every preset: a table (id, kind, name, fields) or one JSON object per line with --json
  get   one preset as JSON (its spec, fields and string fields; also id, builtin, createdAt
        and updatedAt), a file put takes back as it is
  put   creates or replaces a preset from a JSON file ('-' reads standard input): either the
        whole preset ({"name", "description", "fields", "stringFields", "overlay", "spec"}) or a
        bare Vega-Lite spec, whose \${field:…} and \${string:…} slots become its fields; a
        file's builtin, createdAt and updatedAt are ignored, and its id must be <id> (a
        built-in's may differ: a copy), else delete the id to save a copy under <id>
  rm    removes one of your presets

Options:
  --json               ls: one JSON object per line; put: the saved preset
  --base-url <url>     the server (default: STEPWISE_BASE_URL, then the URL saved by
                       'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>      the API key (default: STEPWISE_API_KEY, then the saved key)
  -h, --help           show this help

Examples:
  stepwise presets ls
  stepwise presets get stepwise/line/v0 > line.json
  stepwise presets put my-team/dots dots.vl.json
  stepwise presets rm my-team/dots

Exit codes: 0 done, 2 bad arguments or a preset the server refuses (the message names the
field), 4 no such preset, 6 not allowed, 7 server unreachable.
`;
