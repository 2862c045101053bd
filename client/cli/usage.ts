// The CLI's help text, printed for --help and after every usage error.
export const USAGE = `Usage: batchdata-search-sessions <command> [options]

Commands:
  sessions list [--skip <n>] [--take <n>]   the team's sessions; all of them unless --skip or --take
  sessions delete <searchSessionId>         delete a session and free its slot
  search --query <query> [--session <id>] [--take <n>] [--skip <n>] [--idempotency-key <key>]
         [--cursor] [--page-cursor <cursor>]
                                            one page of properties; with --session, its next page;
                                            with --cursor, the first page of a walk by cursor, and
                                            with --page-cursor, the page after that cursor

Options:
  --json        print the API's results as JSON on stdout (errors as JSON on stderr)
  -h, --help    print this help

Environment:
  BATCHDATA_TOKEN     the API token (required)
  BATCHDATA_BASE_URL  the API's base URL (default https://api.batchdata.com)

Queries: a ZIP code (85020), a state (AZ) or a city and state ("Phoenix, AZ").
Exit codes: 0 ok, 1 internal error, 2 usage error, 3 API error, 4 network error or timeout.
`;
