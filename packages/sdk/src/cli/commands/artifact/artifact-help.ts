/** `stepwise artifact --help`: usage, options with their defaults, and examples. */
export const ARTIFACT_HELP = `Usage: stepwise artifact put <localPath> --name <entity/project/name> --type <type>
                             [--alias A]... [--description TEXT] [--json]
       stepwise artifact get <entity/project/name[:alias]> [--root DIR] [--json]
       stepwise artifact ls  <entity/project>[/name] [--type T] [--storage] [--json]
       stepwise artifact rm  <entity/project/name:alias> | <entity/project/name> --all [--json]
       stepwise artifact rm  <entity/project/name> --distributed <id> [--json]
       stepwise artifact gc  <entity/project/name> [--keep-last N] [--keep-aliased]
                             [--keep-younger-than DURATION] [--ttl-only] [--dry-run] [--json]
       stepwise artifact cache cleanup [--max-size SIZE] [--json]

Log, download and list artifacts (versioned, content-addressed sets of files).

  put   logs a file or a folder as a new version of <name> (no run: the version has no
        producer). Files are hashed, only content the server lacks is uploaded (resumable),
        then the version is committed; unchanged content answers the existing version.
        Prints entity/project/name:vN (or, with --json, the version as a JSON object).
  get   downloads a version (default alias: latest) into DIR (default
        ./artifacts/<name>-<version>): files already in the local cache (STEPWISE_CACHE_DIR,
        default ~/.cache/stepwise) are placed without any request, the others are fetched in
        parallel and checked (sha256). With the server unreachable, a version downloaded
        before is placed from the cache. Prints the folder (or a JSON object with --json).
  ls    the project's collections (name, type, versions, latest), or with a name its
        versions (version, aliases, files, size, created in UTC); --json: one object a line.
        --storage: per collection the bytes its live versions store (each file's content
        once) and list, and the project's total (content collections share counted once).
  rm    deletes one version (name:v3 or name:alias), or with --all and no :alias the whole
        collection. Deleted versions are hidden at once and their names never reused; their
        aliases are removed and latest moves to the newest version left. Content no live
        version or run file holds is freed by the server's next garbage collection
        ('stepwise server --gc'). With --distributed ID: discards the distributed artifact
        (upsertArtifact) ID of that name — never finished: its files are dropped; finished:
        forgotten, its version kept — and ID can be used again.
  gc    applies a retention policy to a collection now: a version is kept when any rule
        keeps it (among the newest N, holds an alias other than latest, younger than
        DURATION such as 30d, 12h, 90m); the newest is always kept; at least one rule.
        A version past its TTL (artifact.ttl) is deleted whatever the rules, unless it
        is the newest, holds an alias or is linked in a registry; --ttl-only: TTLs alone.
        Prints each version deleted and the bytes that frees (content only they hold,
        shared files counted once). --dry-run changes nothing and prints what would be.
  cache cleanup  removes the local cache's least recently used files until it fits SIZE
        (default STEPWISE_CACHE_MAX_SIZE, else 10GiB). No server needed.

Options:
  --name <path>          entity/project/name of the artifact to 'put'
  --type <type>          its type for 'put' (dataset, model, …); for 'ls', only this type
  --alias <alias>        an alias for the new version ('put'; repeatable)
  --description <text>   the version's description ('put')
  --root <dir>           where 'get' writes
  --all                  'rm': delete the whole collection
  --distributed <id>     'rm': discard the distributed artifact <id> of the collection
  --keep-last <n>        'gc': keep the newest n versions
  --keep-aliased         'gc': keep versions holding an alias
  --keep-younger-than <d> 'gc': keep versions younger than d (30d, 12h, 90m, 3600)
  --storage              'ls': bytes stored per collection (shared files once) and listed
  --ttl-only             'gc': apply the versions' TTLs only (no other rule)
  --dry-run              'gc': change nothing; print what would be deleted and freed
  --max-size <size>      'cache cleanup': the size to shrink the cache to (20GB, 500MiB)
  --json                 one JSON object per line on stdout
  --base-url <url>       the server (default: STEPWISE_BASE_URL, then the URL saved by
                         'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>        the API key (default: STEPWISE_API_KEY, then the saved key)
  -h, --help             show this help

Examples:
  stepwise artifact put ./data --name me/mnist/mnist-train --type dataset --alias v2-clean
  stepwise artifact get me/mnist/mnist-train:latest --root data
  stepwise artifact ls me/mnist --type dataset
  stepwise artifact rm me/mnist/resnet:v3
  stepwise artifact gc me/mnist/resnet --keep-last 5 --keep-aliased --dry-run

Exit codes: 0 ok, 2 usage error, 3 damaged download, 4 artifact or local path not found,
            6 not authorised, 7 server unreachable.
`;
