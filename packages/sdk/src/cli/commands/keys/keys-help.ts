/** `stepwise keys --help`: the three subcommands, their options, examples and exit codes. */
export const KEYS_HELP = `Usage: stepwise keys ls [--json]
       stepwise keys create --name <name> [--entity <entity>] [--admin] [--json]
       stepwise keys revoke <id> [--json]

Manage a Stepwise server's API keys (needs an admin key, or a local user on a server that
trusts loopback).

  ls       every key, oldest first: a table (id, name, entity, admin, created, last used)
           or one JSON object per key with --json; never a secret (the server keeps hashes)
  create   a new key; prints the key itself on stdout, and only the key, so that
           '> file' stores it; the server shows it this once and never again
  revoke   refuses the key with this id from the next request on; the id is what 'ls' shows

Options:
  --name <name>        create: what the key is for, e.g. ci or alice-laptop (required)
  --entity <entity>    create: the entity the key may read and write
                                            (default: STEPWISE_ENTITY, then local)
  --admin              create: an admin key, which may do everything   (default: off)
  --json               one JSON object per line: ls the keys, create the new key with its
                       secret (field key), revoke the revoked key
  --base-url <url>     the server (default: STEPWISE_BASE_URL, then the URL saved by
                       'stepwise login', then http://127.0.0.1:8080)
  --api-key <key>      the API key (default: STEPWISE_API_KEY, then the saved key)
  -h, --help           show this help

Examples:
  stepwise keys ls
  stepwise keys create --name ci --entity team > ci-key
  stepwise keys revoke 0123456789abcdef

Exit codes: 0 ok, 2 usage error (also: revoking the last admin key), 4 no key has
            that id, 6 not authorised (not an admin key), 7 server unreachable.
`;
