
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'astscan' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'astscan'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'astscan' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Scan files and directories and report structure, metrics and parse status')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'The import graph of a repository: which file imports which, external packages, unresolved imports and import cycles')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the security rules, or test rules against their annotated fixtures')
            [CompletionResult]::new('daemon', 'daemon', [CompletionResultType]::ParameterValue, 'Run the local daemon (warm workers, result cache), or query or stop it')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show, locate or clear the result cache of direct scans')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge the JSON or SARIF reports of shards (`analyze --shard I/N`) or of separate scans into one report')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve coding agents over the Model Context Protocol on stdin/stdout: scans, structure, hotspots, the import graph, rules and syntax trees of the files under one root')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'astscan;analyze' {
            [CompletionResult]::new('--path-root', '--path-root', [CompletionResultType]::ParameterName, 'Make JSON and SARIF paths relative to DIR [default: the root of the git work tree the scanned paths are in, else the current directory]')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-file deadline in seconds of the parse''s CPU time (waiting for a CPU does not count) [default: timeout in .astscan.toml, or 5]')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Skip files larger than this (bytes; K, M, G suffixes are powers of 1024) [default: max-file-size in .astscan.toml, or 10M]')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only scan these languages (repeat or separate with commas)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Only scan these languages (repeat or separate with commas)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Exclude paths matching GLOB (gitignore syntax; repeatable)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Exclude paths matching GLOB (gitignore syntax; repeatable)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'When to show a progress bar on stderr')
            [CompletionResult]::new('--worker-memory', '--worker-memory', [CompletionResultType]::ParameterName, 'Memory (address-space) limit per worker process in MiB; 0 for none')
            [CompletionResult]::new('--min-confidence', '--min-confidence', [CompletionResultType]::ParameterName, 'Run only rules at least this sure of their findings [default: medium, or min-confidence in .astscan.toml; low when rules are chosen with --enable or enable]. `low` adds the audit rules: shapes worth a look (a non-literal SQL string) whose taint versions report only real flows')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration file instead of looking for .astscan.toml')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Also run the rules in DIR (every *.yaml below it; repeatable)')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Only run these rules: ids (globs), CWE-<n> or OWASP categories (A03), separated by commas or repeated. Replaces enable in .astscan.toml; one that matches no rule is an error')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Do not run these rules (same syntax as --enable). Adds to disable in .astscan.toml; one that matches no rule is an error')
            [CompletionResult]::new('--daemon', '--daemon', [CompletionResultType]::ParameterName, 'Send files to the daemon: auto (when one runs), always (fail without it), never')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The daemon''s socket [default: the daemon''s default path]')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Scan only files changed since the merge base of REV and HEAD: committed, staged and unstaged changes and untracked files that are not ignored, as in the working tree. PATHS, if given, restrict it')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]')
            [CompletionResult]::new('--cache-max-size', '--cache-max-size', [CompletionResultType]::ParameterName, 'Evict least recently used results when the cache grows past this size')
            [CompletionResult]::new('--cache-url', '--cache-url', [CompletionResultType]::ParameterName, 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed')
            [CompletionResult]::new('--cache-key-file', '--cache-key-file', [CompletionResultType]::ParameterName, 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Lifetime of the entries written to the remote cache [default: 30d]')
            [CompletionResult]::new('--cache-connect-timeout', '--cache-connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to the remote cache after this long')
            [CompletionResult]::new('--cache-timeout', '--cache-timeout', [CompletionResultType]::ParameterName, 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the report to FILE instead of stdout')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Scan only shard I of N (1-based): every input file belongs to exactly one shard, picked by a hash of its path relative to the report root, so N jobs with 1/N … N/N scan the whole tree between them on any machine; merge their reports with `astscan merge`')
            [CompletionResult]::new('--sarif-category', '--sarif-category', [CompletionResultType]::ParameterName, 'The SARIF run''s category (automationDetails.id), which tells apart analyses of one commit uploaded to code scanning')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours in text output')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit with code 1 when a finding of this severity or higher is reported [default: low, or fail-on in .astscan.toml]')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Only findings not in this baseline file count (see --write-baseline)')
            [CompletionResult]::new('--write-baseline', '--write-baseline', [CompletionResultType]::ParameterName, 'Write this scan''s findings to FILE as a baseline (and do not fail on findings)')
            [CompletionResult]::new('--stdin-filename', '--stdin-filename', [CompletionResultType]::ParameterName, 'Name the file read from standard input (`-` as the only PATH) is reported under; its extension or name chooses the language, and excludes apply to it as to a named file')
            [CompletionResult]::new('--ast-max-depth', '--ast-max-depth', [CompletionResultType]::ParameterName, 'Depth below which --format ast elides subtrees (they are marked "truncated")')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Do not read .gitignore, .ignore, .astscanignore or git excludes')
            [CompletionResult]::new('--hidden', '--hidden', [CompletionResultType]::ParameterName, 'Scan hidden files and directories too')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links while walking directories')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links while walking directories')
            [CompletionResult]::new('--include-generated', '--include-generated', [CompletionResultType]::ParameterName, 'Parse minified and generated files instead of skipping them (also include-generated = true in .astscan.toml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Do not read .astscan.toml')
            [CompletionResult]::new('--no-rules', '--no-rules', [CompletionResultType]::ParameterName, 'Skip the built-in rules (rules from --rules still run)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Scan what is staged for the next commit: the index''s content of staged files (not the working tree), reported under their paths relative to the repository root. PATHS, if given, restrict it')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the result cache (direct scans keep results by content in the user cache directory; see `astscan cache`)')
            [CompletionResult]::new('--cache-unauthenticated', '--cache-unauthenticated', [CompletionResultType]::ParameterName, 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings')
            [CompletionResult]::new('--report-unused-suppressions', '--report-unused-suppressions', [CompletionResultType]::ParameterName, 'List suppression comments that suppress nothing')
            [CompletionResult]::new('--time-rules', '--time-rules', [CompletionResultType]::ParameterName, 'Measure each rule''s compile and match time and print the most expensive rules on stderr (all of them in the JSON summary). Rules then run one query each, so the scan is slower than usual')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;graph' {
            [CompletionResult]::new('--path-root', '--path-root', [CompletionResultType]::ParameterName, 'Make JSON and SARIF paths relative to DIR [default: the root of the git work tree the scanned paths are in, else the current directory]')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-file deadline in seconds of the parse''s CPU time (waiting for a CPU does not count) [default: timeout in .astscan.toml, or 5]')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Skip files larger than this (bytes; K, M, G suffixes are powers of 1024) [default: max-file-size in .astscan.toml, or 10M]')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only scan these languages (repeat or separate with commas)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Only scan these languages (repeat or separate with commas)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Exclude paths matching GLOB (gitignore syntax; repeatable)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Exclude paths matching GLOB (gitignore syntax; repeatable)')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'When to show a progress bar on stderr')
            [CompletionResult]::new('--worker-memory', '--worker-memory', [CompletionResultType]::ParameterName, 'Memory (address-space) limit per worker process in MiB; 0 for none')
            [CompletionResult]::new('--min-confidence', '--min-confidence', [CompletionResultType]::ParameterName, 'Run only rules at least this sure of their findings [default: medium, or min-confidence in .astscan.toml; low when rules are chosen with --enable or enable]. `low` adds the audit rules: shapes worth a look (a non-literal SQL string) whose taint versions report only real flows')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration file instead of looking for .astscan.toml')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Also run the rules in DIR (every *.yaml below it; repeatable)')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Only run these rules: ids (globs), CWE-<n> or OWASP categories (A03), separated by commas or repeated. Replaces enable in .astscan.toml; one that matches no rule is an error')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Do not run these rules (same syntax as --enable). Adds to disable in .astscan.toml; one that matches no rule is an error')
            [CompletionResult]::new('--daemon', '--daemon', [CompletionResultType]::ParameterName, 'Send files to the daemon: auto (when one runs), always (fail without it), never')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The daemon''s socket [default: the daemon''s default path]')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Scan only files changed since the merge base of REV and HEAD: committed, staged and unstaged changes and untracked files that are not ignored, as in the working tree. PATHS, if given, restrict it')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]')
            [CompletionResult]::new('--cache-max-size', '--cache-max-size', [CompletionResultType]::ParameterName, 'Evict least recently used results when the cache grows past this size')
            [CompletionResult]::new('--cache-url', '--cache-url', [CompletionResultType]::ParameterName, 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed')
            [CompletionResult]::new('--cache-key-file', '--cache-key-file', [CompletionResultType]::ParameterName, 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Lifetime of the entries written to the remote cache [default: 30d]')
            [CompletionResult]::new('--cache-connect-timeout', '--cache-connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to the remote cache after this long')
            [CompletionResult]::new('--cache-timeout', '--cache-timeout', [CompletionResultType]::ParameterName, 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the graph to FILE instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the graph to FILE instead of stdout')
            [CompletionResult]::new('--from-reports', '--from-reports', [CompletionResultType]::ParameterName, 'Build the graph from these JSON reports of `analyze` instead of scanning (`-` reads one from standard input): the reports of `analyze --shard I/N --format json` together make the graph of the whole tree. Project files (go.mod, tsconfig.json, ...) are read below --path-root (default: the current directory), where the reports'' paths start')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Refused with directions: a graph needs the imports of every file, so shards are scanned with `analyze --shard I/N --format json` and joined with `--from-reports`')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Do not read .gitignore, .ignore, .astscanignore or git excludes')
            [CompletionResult]::new('--hidden', '--hidden', [CompletionResultType]::ParameterName, 'Scan hidden files and directories too')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow symbolic links while walking directories')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links while walking directories')
            [CompletionResult]::new('--include-generated', '--include-generated', [CompletionResultType]::ParameterName, 'Parse minified and generated files instead of skipping them (also include-generated = true in .astscan.toml)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Do not read .astscan.toml')
            [CompletionResult]::new('--no-rules', '--no-rules', [CompletionResultType]::ParameterName, 'Skip the built-in rules (rules from --rules still run)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Scan what is staged for the next commit: the index''s content of staged files (not the working tree), reported under their paths relative to the repository root. PATHS, if given, restrict it')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the result cache (direct scans keep results by content in the user cache directory; see `astscan cache`)')
            [CompletionResult]::new('--cache-unauthenticated', '--cache-unauthenticated', [CompletionResultType]::ParameterName, 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings')
            [CompletionResult]::new('--fail-on-cycles', '--fail-on-cycles', [CompletionResultType]::ParameterName, 'Exit with code 1 when the graph has an import cycle')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;rules' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in rules (and those in --rules directories)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'astscan;rules;list' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Also load the rules in DIR (every *.yaml below it; repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;rules;test' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;rules;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in rules (and those in --rules directories)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'astscan;rules;help;list' {
            break
        }
        'astscan;rules;help;test' {
            break
        }
        'astscan;rules;help;help' {
            break
        }
        'astscan;daemon' {
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Exit after no request for this long (e.g. 30m, 2h) [default: never]')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Worker processes per rule/option set [default: available CPUs]')
            [CompletionResult]::new('--prewarm', '--prewarm', [CompletionResultType]::ParameterName, 'Languages every worker compiles at start-up (built-in rules, default options)')
            [CompletionResult]::new('--session-ttl', '--session-ttl', [CompletionResultType]::ParameterName, 'A session unused for this long expires')
            [CompletionResult]::new('--cache-size', '--cache-size', [CompletionResultType]::ParameterName, 'Result cache size in memory (bytes; K, M, G suffixes are powers of 1024; 0 disables it). Behind it the daemon shares the result cache directory of direct scans')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]')
            [CompletionResult]::new('--cache-max-size', '--cache-max-size', [CompletionResultType]::ParameterName, 'Evict least recently used results when the cache grows past this size')
            [CompletionResult]::new('--cache-url', '--cache-url', [CompletionResultType]::ParameterName, 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed')
            [CompletionResult]::new('--cache-key-file', '--cache-key-file', [CompletionResultType]::ParameterName, 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Lifetime of the entries written to the remote cache [default: 30d]')
            [CompletionResult]::new('--cache-connect-timeout', '--cache-connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to the remote cache after this long')
            [CompletionResult]::new('--cache-timeout', '--cache-timeout', [CompletionResultType]::ParameterName, 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Open connections served at once; more are told to retry')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'Files one session may have queued or parsing; more are told to retry')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Largest file the daemon accepts (bytes; K, M, G suffixes)')
            [CompletionResult]::new('--recycle-after', '--recycle-after', [CompletionResultType]::ParameterName, 'Replace a worker after this many files')
            [CompletionResult]::new('--recycle-rss', '--recycle-rss', [CompletionResultType]::ParameterName, 'Replace a worker whose resident memory exceeds this many MiB')
            [CompletionResult]::new('--worker-nice', '--worker-nice', [CompletionResultType]::ParameterName, 'Niceness of the workers (0-19). They do background work for every client; a little below normal priority keeps a long scan from crowding out the interactive processes (editors, the clients themselves) on a busy machine. It costs nothing on an idle one')
            [CompletionResult]::new('--quarantine', '--quarantine', [CompletionResultType]::ParameterName, 'After files of a language crashed workers 5 times in a row, that language is refused for this long (clients scan its files directly meanwhile), then tried again; the same for workers that fail to start')
            [CompletionResult]::new('--worker-idle', '--worker-idle', [CompletionResultType]::ParameterName, 'Stop a worker that had nothing to do for this long')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Time in-flight files get to finish at shutdown')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'Most verbose log level written to the log')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append the log to this file instead of writing it to stderr [default with --detach: $XDG_STATE_HOME/astscan/daemon.log, or ~/.local/state/astscan/daemon.log]')
            [CompletionResult]::new('--async', '--async', [CompletionResultType]::ParameterName, 'Serve connections concurrently, with fair scheduling between sessions (without it, one connection at a time)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Keep results in memory only: do not read or write the result cache directory that direct scans share')
            [CompletionResult]::new('--cache-unauthenticated', '--cache-unauthenticated', [CompletionResultType]::ParameterName, 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Start in the background, detached from the terminal: wait until the daemon listens, print its pid and exit (logging to --log-file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what the running daemon is doing')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the running daemon (in-flight files finish first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'astscan;daemon;status' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;daemon;stop' {
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;daemon;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what the running daemon is doing')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the running daemon (in-flight files finish first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'astscan;daemon;help;status' {
            break
        }
        'astscan;daemon;help;stop' {
            break
        }
        'astscan;daemon;help;help' {
            break
        }
        'astscan;cache' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries and bytes the result cache holds (and the remote one, with --cache-url)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every cached result')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the cache directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'astscan;cache;stats' {
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]')
            [CompletionResult]::new('--cache-max-size', '--cache-max-size', [CompletionResultType]::ParameterName, 'Evict least recently used results when the cache grows past this size')
            [CompletionResult]::new('--cache-url', '--cache-url', [CompletionResultType]::ParameterName, 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed')
            [CompletionResult]::new('--cache-key-file', '--cache-key-file', [CompletionResultType]::ParameterName, 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Lifetime of the entries written to the remote cache [default: 30d]')
            [CompletionResult]::new('--cache-connect-timeout', '--cache-connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to the remote cache after this long')
            [CompletionResult]::new('--cache-timeout', '--cache-timeout', [CompletionResultType]::ParameterName, 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('--cache-unauthenticated', '--cache-unauthenticated', [CompletionResultType]::ParameterName, 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;cache;clear' {
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]')
            [CompletionResult]::new('--cache-max-size', '--cache-max-size', [CompletionResultType]::ParameterName, 'Evict least recently used results when the cache grows past this size')
            [CompletionResult]::new('--cache-url', '--cache-url', [CompletionResultType]::ParameterName, 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed')
            [CompletionResult]::new('--cache-key-file', '--cache-key-file', [CompletionResultType]::ParameterName, 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Lifetime of the entries written to the remote cache [default: 30d]')
            [CompletionResult]::new('--cache-connect-timeout', '--cache-connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to the remote cache after this long')
            [CompletionResult]::new('--cache-timeout', '--cache-timeout', [CompletionResultType]::ParameterName, 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Remove this engine build''s entries from the remote cache (--cache-url) instead; other builds'' entries and other data on the server stay')
            [CompletionResult]::new('--cache-unauthenticated', '--cache-unauthenticated', [CompletionResultType]::ParameterName, 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;cache;path' {
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]')
            [CompletionResult]::new('--cache-max-size', '--cache-max-size', [CompletionResultType]::ParameterName, 'Evict least recently used results when the cache grows past this size')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;cache;help' {
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries and bytes the result cache holds (and the remote one, with --cache-url)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every cached result')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the cache directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'astscan;cache;help;stats' {
            break
        }
        'astscan;cache;help;clear' {
            break
        }
        'astscan;cache;help;path' {
            break
        }
        'astscan;cache;help;help' {
            break
        }
        'astscan;merge' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Format of the merged report [default: the format of the inputs]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of the merged report [default: the format of the inputs]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the merged report to FILE instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the merged report to FILE instead of stdout')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit with code 1 when a merged finding of this severity or higher is open (not suppressed or baselined)')
            [CompletionResult]::new('--path-root', '--path-root', [CompletionResultType]::ParameterName, 'The directory the paths of JSON reports are relative to, for SARIF, GitHub and GitLab output made from them [default: the current directory]')
            [CompletionResult]::new('--sarif-category', '--sarif-category', [CompletionResultType]::ParameterName, 'The SARIF run''s category [default: the inputs'' category, or astscan/ for JSON inputs]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours in text output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No text summary on stdout (text format) or stderr (with --output)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No text summary on stdout (text format) or stderr (with --output)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;mcp' {
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'The directory whose files the tools may read; nothing outside it is read, and roots the client declares are narrowed to it [default: the current directory, replaced by the client''s roots]')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Number of parser worker processes per scan [default: jobs in .astscan.toml, or available CPUs]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Number of parser worker processes per scan [default: jobs in .astscan.toml, or available CPUs]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read this configuration file instead of looking for .astscan.toml from the root up')
            [CompletionResult]::new('--daemon', '--daemon', [CompletionResultType]::ParameterName, 'Send files to the daemon: auto (when one runs), always (fail without it), never')
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The daemon''s socket [default: the daemon''s default path]')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]')
            [CompletionResult]::new('--cache-max-size', '--cache-max-size', [CompletionResultType]::ParameterName, 'Evict least recently used results when the cache grows past this size')
            [CompletionResult]::new('--cache-url', '--cache-url', [CompletionResultType]::ParameterName, 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed')
            [CompletionResult]::new('--cache-key-file', '--cache-key-file', [CompletionResultType]::ParameterName, 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used')
            [CompletionResult]::new('--cache-ttl', '--cache-ttl', [CompletionResultType]::ParameterName, 'Lifetime of the entries written to the remote cache [default: 30d]')
            [CompletionResult]::new('--cache-connect-timeout', '--cache-connect-timeout', [CompletionResultType]::ParameterName, 'Give up connecting to the remote cache after this long')
            [CompletionResult]::new('--cache-timeout', '--cache-timeout', [CompletionResultType]::ParameterName, 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Do not read .astscan.toml')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not read or write the result cache')
            [CompletionResult]::new('--cache-unauthenticated', '--cache-unauthenticated', [CompletionResultType]::ParameterName, 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'astscan;help' {
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Scan files and directories and report structure, metrics and parse status')
            [CompletionResult]::new('graph', 'graph', [CompletionResultType]::ParameterValue, 'The import graph of a repository: which file imports which, external packages, unresolved imports and import cycles')
            [CompletionResult]::new('rules', 'rules', [CompletionResultType]::ParameterValue, 'List the security rules, or test rules against their annotated fixtures')
            [CompletionResult]::new('daemon', 'daemon', [CompletionResultType]::ParameterValue, 'Run the local daemon (warm workers, result cache), or query or stop it')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show, locate or clear the result cache of direct scans')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge the JSON or SARIF reports of shards (`analyze --shard I/N`) or of separate scans into one report')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve coding agents over the Model Context Protocol on stdin/stdout: scans, structure, hotspots, the import graph, rules and syntax trees of the files under one root')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'astscan;help;analyze' {
            break
        }
        'astscan;help;graph' {
            break
        }
        'astscan;help;rules' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in rules (and those in --rules directories)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings')
            break
        }
        'astscan;help;rules;list' {
            break
        }
        'astscan;help;rules;test' {
            break
        }
        'astscan;help;daemon' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what the running daemon is doing')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the running daemon (in-flight files finish first)')
            break
        }
        'astscan;help;daemon;status' {
            break
        }
        'astscan;help;daemon;stop' {
            break
        }
        'astscan;help;cache' {
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Entries and bytes the result cache holds (and the remote one, with --cache-url)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every cached result')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the cache directory')
            break
        }
        'astscan;help;cache;stats' {
            break
        }
        'astscan;help;cache;clear' {
            break
        }
        'astscan;help;cache;path' {
            break
        }
        'astscan;help;merge' {
            break
        }
        'astscan;help;mcp' {
            break
        }
        'astscan;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
