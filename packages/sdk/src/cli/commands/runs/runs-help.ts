/** `stepwise runs --help`: usage, options with their defaults, and examples. */
export const RUNS_HELP = `Usage: stepwise runs <entity/project> [options]

List a project's runs on a Stepwise server: a table (id, name, state, created, runtime,
lastStep), or one JSON object per run with --json.

Options:
  --filter <expr>        keep runs that match; repeat to AND several       (default: none)
                           summary.<key> / config.<key> with = != < <= > >=,
                             e.g. summary.val/acc>0.9, config.opt.lr<=0.01,
                             config.model=resnet,vit (any of), summary.loss? (has it)
                           state=finished,failed   state!=crashed
                           tags=best (has the tag)  name~resnet (contains)
                           group=g1  jobType=train  id=abc123
  --order <field>        [-]createdAt | name | state | heartbeatAt |
                         summary.<key> | config.<key>; - = descending
                                                                     (default: -createdAt)
  --limit <n>            at most n runs                               (default: 100)
  --json                 one JSON object per line (every field the server returns;
                         NaN and Infinity as bare tokens)
  --base-url <url>       the server (default: STEPWISE_BASE_URL, then the URL saved by
                         'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>        the API key (default: STEPWISE_API_KEY, then the saved key)
  -h, --help             show this help

Examples:
  stepwise runs me/mnist
  stepwise runs me/mnist --filter 'summary.val/acc>0.9' --order -summary.val/acc --limit 5
  stepwise runs me/mnist --filter state=crashed --json | jq .id

Exit codes: 0 ok, 2 usage error, 4 project not found, 6 not authorised,
            7 server unreachable.
`;
