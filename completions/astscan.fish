# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_astscan_global_optspecs
    string join \n h/help V/version
end

function __fish_astscan_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_astscan_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_astscan_using_subcommand
    set -l cmd (__fish_astscan_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c astscan -n "__fish_astscan_needs_command" -s h -l help -d 'Print help'
complete -c astscan -n "__fish_astscan_needs_command" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_needs_command" -f -a "analyze" -d 'Scan files and directories and report structure, metrics and parse status'
complete -c astscan -n "__fish_astscan_needs_command" -f -a "graph" -d 'The import graph of a repository: which file imports which, external packages, unresolved imports and import cycles'
complete -c astscan -n "__fish_astscan_needs_command" -f -a "rules" -d 'List the security rules, or test rules against their annotated fixtures'
complete -c astscan -n "__fish_astscan_needs_command" -f -a "daemon" -d 'Run the local daemon (warm workers, result cache), or query or stop it'
complete -c astscan -n "__fish_astscan_needs_command" -f -a "cache" -d 'Show, locate or clear the result cache of direct scans'
complete -c astscan -n "__fish_astscan_needs_command" -f -a "merge" -d 'Merge the JSON or SARIF reports of shards (`analyze --shard I/N`) or of separate scans into one report'
complete -c astscan -n "__fish_astscan_needs_command" -f -a "mcp" -d 'Serve coding agents over the Model Context Protocol on stdin/stdout: scans, structure, hotspots, the import graph, rules and syntax trees of the files under one root'
complete -c astscan -n "__fish_astscan_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l path-root -d 'Make JSON and SARIF paths relative to DIR [default: the root of the git work tree the scanned paths are in, else the current directory]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s j -l jobs -d 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l timeout -d 'Per-file deadline in seconds of the parse\'s CPU time (waiting for a CPU does not count) [default: timeout in .astscan.toml, or 5]' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l max-file-size -d 'Skip files larger than this (bytes; K, M, G suffixes are powers of 1024) [default: max-file-size in .astscan.toml, or 10M]' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s l -l lang -d 'Only scan these languages (repeat or separate with commas)' -r -f -a "javascript\t'JavaScript, including JSX (`.js .mjs .cjs .jsx`)'
typescript\t'TypeScript (`.ts .mts .cts`, declaration files included)'
tsx\t'TypeScript with JSX (`.tsx`)'
python\t'Python (`.py .pyi`, `python` shebangs)'
ruby\t'Ruby (`.rb .gemspec .rake`, Rakefile, Gemfile, `ruby` shebangs)'
java\t'Java (`.java`)'
php\t'PHP, with embedded HTML (`.php`, `php` shebangs)'
go\t'Go (`.go`)'"
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s e -l exclude -d 'Exclude paths matching GLOB (gitignore syntax; repeatable)' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l progress -d 'When to show a progress bar on stderr' -r -f -a "auto\t'When stderr is a terminal (and not `--quiet`)'
always\t'Always, even when stderr is not a terminal'
never\t'Never'"
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l worker-memory -d 'Memory (address-space) limit per worker process in MiB; 0 for none' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l min-confidence -d 'Run only rules at least this sure of their findings [default: medium, or min-confidence in .astscan.toml; low when rules are chosen with --enable or enable]. `low` adds the audit rules: shapes worth a look (a non-literal SQL string) whose taint versions report only real flows' -r -f -a "low\t'Often a false positive; review'
medium\t'Usually right'
high\t'Almost always right'"
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l config -d 'Read this configuration file instead of looking for .astscan.toml' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l rules -d 'Also run the rules in DIR (every *.yaml below it; repeatable)' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l enable -d 'Only run these rules: ids (globs), CWE-<n> or OWASP categories (A03), separated by commas or repeated. Replaces enable in .astscan.toml; one that matches no rule is an error' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l disable -d 'Do not run these rules (same syntax as --enable). Adds to disable in .astscan.toml; one that matches no rule is an error' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l daemon -d 'Send files to the daemon: auto (when one runs), always (fail without it), never' -r -f -a "auto\t'Use a running daemon; scan directly when none runs or it fails'
always\t'Use the daemon; fail (exit 2) when it is not there or fails'
never\t'Never use the daemon'"
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l socket -d 'The daemon\'s socket [default: the daemon\'s default path]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l diff -d 'Scan only files changed since the merge base of REV and HEAD: committed, staged and unstaged changes and untracked files that are not ignored, as in the working tree. PATHS, if given, restrict it' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l cache-dir -d 'The result cache\'s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l cache-max-size -d 'Evict least recently used results when the cache grows past this size' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l cache-url -d 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l cache-key-file -d 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l cache-ttl -d 'Lifetime of the entries written to the remote cache [default: 30d]' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l cache-connect-timeout -d 'Give up connecting to the remote cache after this long' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l cache-timeout -d 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s f -l format -d 'Report format' -r -f -a "text\t'Problems and a summary, for people'
json\t'One JSON document with every file and a summary (see src/report/report.schema.json)'
ast\t'JSON Lines: one object per file with its syntax tree'
sarif\t'SARIF 2.1.0, for code-scanning services'
github\t'GitHub Actions workflow commands: an annotation per finding and per failed file'
junit\t'JUnit XML for CI dashboards: a suite per rule, a failing case per file it fired in'
gitlab\t'GitLab SAST security report (artifacts:reports:sast), schema 15.2.1'"
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s o -l output -d 'Write the report to FILE instead of stdout' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l shard -d 'Scan only shard I of N (1-based): every input file belongs to exactly one shard, picked by a hash of its path relative to the report root, so N jobs with 1/N … N/N scan the whole tree between them on any machine; merge their reports with `astscan merge`' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l sarif-category -d 'The SARIF run\'s category (automationDetails.id), which tells apart analyses of one commit uploaded to code scanning' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l color -d 'When to use colours in text output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l fail-on -d 'Exit with code 1 when a finding of this severity or higher is reported [default: low, or fail-on in .astscan.toml]' -r -f -a "low\t'Any finding'
medium\t'Medium, high or critical findings'
high\t'High or critical findings'
critical\t'Critical findings'
never\t'Findings never change the exit code'"
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l baseline -d 'Only findings not in this baseline file count (see --write-baseline)' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l write-baseline -d 'Write this scan\'s findings to FILE as a baseline (and do not fail on findings)' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l stdin-filename -d 'Name the file read from standard input (`-` as the only PATH) is reported under; its extension or name chooses the language, and excludes apply to it as to a named file' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l ast-max-depth -d 'Depth below which --format ast elides subtrees (they are marked "truncated")' -r
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l no-ignore -d 'Do not read .gitignore, .ignore, .astscanignore or git excludes'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l hidden -d 'Scan hidden files and directories too'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s L -l follow -d 'Follow symbolic links while walking directories'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l include-generated -d 'Parse minified and generated files instead of skipping them (also include-generated = true in .astscan.toml)'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s q -l quiet -d 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l no-config -d 'Do not read .astscan.toml'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l no-rules -d 'Skip the built-in rules (rules from --rules still run)'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l staged -d 'Scan what is staged for the next commit: the index\'s content of staged files (not the working tree), reported under their paths relative to the repository root. PATHS, if given, restrict it'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l no-cache -d 'Do not read or write the result cache (direct scans keep results by content in the user cache directory; see `astscan cache`)'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l cache-unauthenticated -d 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l report-unused-suppressions -d 'List suppression comments that suppress nothing'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -l time-rules -d 'Measure each rule\'s compile and match time and print the most expensive rules on stderr (all of them in the JSON summary). Rules then run one query each, so the scan is slower than usual'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c astscan -n "__fish_astscan_using_subcommand analyze" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l path-root -d 'Make JSON and SARIF paths relative to DIR [default: the root of the git work tree the scanned paths are in, else the current directory]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s j -l jobs -d 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l timeout -d 'Per-file deadline in seconds of the parse\'s CPU time (waiting for a CPU does not count) [default: timeout in .astscan.toml, or 5]' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l max-file-size -d 'Skip files larger than this (bytes; K, M, G suffixes are powers of 1024) [default: max-file-size in .astscan.toml, or 10M]' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s l -l lang -d 'Only scan these languages (repeat or separate with commas)' -r -f -a "javascript\t'JavaScript, including JSX (`.js .mjs .cjs .jsx`)'
typescript\t'TypeScript (`.ts .mts .cts`, declaration files included)'
tsx\t'TypeScript with JSX (`.tsx`)'
python\t'Python (`.py .pyi`, `python` shebangs)'
ruby\t'Ruby (`.rb .gemspec .rake`, Rakefile, Gemfile, `ruby` shebangs)'
java\t'Java (`.java`)'
php\t'PHP, with embedded HTML (`.php`, `php` shebangs)'
go\t'Go (`.go`)'"
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s e -l exclude -d 'Exclude paths matching GLOB (gitignore syntax; repeatable)' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l progress -d 'When to show a progress bar on stderr' -r -f -a "auto\t'When stderr is a terminal (and not `--quiet`)'
always\t'Always, even when stderr is not a terminal'
never\t'Never'"
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l worker-memory -d 'Memory (address-space) limit per worker process in MiB; 0 for none' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l min-confidence -d 'Run only rules at least this sure of their findings [default: medium, or min-confidence in .astscan.toml; low when rules are chosen with --enable or enable]. `low` adds the audit rules: shapes worth a look (a non-literal SQL string) whose taint versions report only real flows' -r -f -a "low\t'Often a false positive; review'
medium\t'Usually right'
high\t'Almost always right'"
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l config -d 'Read this configuration file instead of looking for .astscan.toml' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l rules -d 'Also run the rules in DIR (every *.yaml below it; repeatable)' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l enable -d 'Only run these rules: ids (globs), CWE-<n> or OWASP categories (A03), separated by commas or repeated. Replaces enable in .astscan.toml; one that matches no rule is an error' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l disable -d 'Do not run these rules (same syntax as --enable). Adds to disable in .astscan.toml; one that matches no rule is an error' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l daemon -d 'Send files to the daemon: auto (when one runs), always (fail without it), never' -r -f -a "auto\t'Use a running daemon; scan directly when none runs or it fails'
always\t'Use the daemon; fail (exit 2) when it is not there or fails'
never\t'Never use the daemon'"
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l socket -d 'The daemon\'s socket [default: the daemon\'s default path]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l diff -d 'Scan only files changed since the merge base of REV and HEAD: committed, staged and unstaged changes and untracked files that are not ignored, as in the working tree. PATHS, if given, restrict it' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l cache-dir -d 'The result cache\'s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l cache-max-size -d 'Evict least recently used results when the cache grows past this size' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l cache-url -d 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l cache-key-file -d 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l cache-ttl -d 'Lifetime of the entries written to the remote cache [default: 30d]' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l cache-connect-timeout -d 'Give up connecting to the remote cache after this long' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l cache-timeout -d 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s f -l format -d 'Output format' -r -f -a "text\t'A summary for people: cycles, the most imported files, files nothing imports'
json\t'Nodes, edges, external packages, unresolved imports and cycles (schema_version 1)'
dot\t'Graphviz, clustered by directory, cycles in red'"
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s o -l output -d 'Write the graph to FILE instead of stdout' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l from-reports -d 'Build the graph from these JSON reports of `analyze` instead of scanning (`-` reads one from standard input): the reports of `analyze --shard I/N --format json` together make the graph of the whole tree. Project files (go.mod, tsconfig.json, ...) are read below --path-root (default: the current directory), where the reports\' paths start' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l shard -d 'Refused with directions: a graph needs the imports of every file, so shards are scanned with `analyze --shard I/N --format json` and joined with `--from-reports`' -r
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l no-ignore -d 'Do not read .gitignore, .ignore, .astscanignore or git excludes'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l hidden -d 'Scan hidden files and directories too'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s L -l follow -d 'Follow symbolic links while walking directories'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l include-generated -d 'Parse minified and generated files instead of skipping them (also include-generated = true in .astscan.toml)'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s q -l quiet -d 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l no-config -d 'Do not read .astscan.toml'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l no-rules -d 'Skip the built-in rules (rules from --rules still run)'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l staged -d 'Scan what is staged for the next commit: the index\'s content of staged files (not the working tree), reported under their paths relative to the repository root. PATHS, if given, restrict it'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l no-cache -d 'Do not read or write the result cache (direct scans keep results by content in the user cache directory; see `astscan cache`)'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l cache-unauthenticated -d 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -l fail-on-cycles -d 'Exit with code 1 when the graph has an import cycle'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c astscan -n "__fish_astscan_using_subcommand graph" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and not __fish_seen_subcommand_from list test help" -s h -l help -d 'Print help'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and not __fish_seen_subcommand_from list test help" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and not __fish_seen_subcommand_from list test help" -f -a "list" -d 'List the built-in rules (and those in --rules directories)'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and not __fish_seen_subcommand_from list test help" -f -a "test" -d 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and not __fish_seen_subcommand_from list test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from list" -s f -l format -d 'Output format' -r -f -a "text\t'A table for people'
json\t'A JSON array with every field of every rule'"
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from list" -l rules -d 'Also load the rules in DIR (every *.yaml below it; repeatable)' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the built-in rules (and those in --rules directories)'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "test" -d 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings'
complete -c astscan -n "__fish_astscan_using_subcommand rules; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l socket -d 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l idle-timeout -d 'Exit after no request for this long (e.g. 30m, 2h) [default: never]' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l workers -d 'Worker processes per rule/option set [default: available CPUs]' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l prewarm -d 'Languages every worker compiles at start-up (built-in rules, default options)' -r -f -a "javascript\t'JavaScript, including JSX (`.js .mjs .cjs .jsx`)'
typescript\t'TypeScript (`.ts .mts .cts`, declaration files included)'
tsx\t'TypeScript with JSX (`.tsx`)'
python\t'Python (`.py .pyi`, `python` shebangs)'
ruby\t'Ruby (`.rb .gemspec .rake`, Rakefile, Gemfile, `ruby` shebangs)'
java\t'Java (`.java`)'
php\t'PHP, with embedded HTML (`.php`, `php` shebangs)'
go\t'Go (`.go`)'"
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l session-ttl -d 'A session unused for this long expires' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-size -d 'Result cache size in memory (bytes; K, M, G suffixes are powers of 1024; 0 disables it). Behind it the daemon shares the result cache directory of direct scans' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-dir -d 'The result cache\'s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-max-size -d 'Evict least recently used results when the cache grows past this size' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-url -d 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-key-file -d 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-ttl -d 'Lifetime of the entries written to the remote cache [default: 30d]' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-connect-timeout -d 'Give up connecting to the remote cache after this long' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-timeout -d 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l max-connections -d 'Open connections served at once; more are told to retry' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l max-in-flight -d 'Files one session may have queued or parsing; more are told to retry' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l max-file-size -d 'Largest file the daemon accepts (bytes; K, M, G suffixes)' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l recycle-after -d 'Replace a worker after this many files' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l recycle-rss -d 'Replace a worker whose resident memory exceeds this many MiB' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l worker-nice -d 'Niceness of the workers (0-19). They do background work for every client; a little below normal priority keeps a long scan from crowding out the interactive processes (editors, the clients themselves) on a busy machine. It costs nothing on an idle one' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l quarantine -d 'After files of a language crashed workers 5 times in a row, that language is refused for this long (clients scan its files directly meanwhile), then tried again; the same for workers that fail to start' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l worker-idle -d 'Stop a worker that had nothing to do for this long' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l grace -d 'Time in-flight files get to finish at shutdown' -r
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l log-level -d 'Most verbose log level written to the log' -r -f -a "error\t'Only errors'
warn\t'Errors and warnings'
info\t'Also start, stop, refused clients, expiries'
debug\t'Also every connection and session'"
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l log-file -d 'Append the log to this file instead of writing it to stderr [default with --detach: $XDG_STATE_HOME/astscan/daemon.log, or ~/.local/state/astscan/daemon.log]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l async -d 'Serve connections concurrently, with fair scheduling between sessions (without it, one connection at a time)'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l no-cache -d 'Keep results in memory only: do not read or write the result cache directory that direct scans share'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l cache-unauthenticated -d 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -l detach -d 'Start in the background, detached from the terminal: wait until the daemon listens, print its pid and exit (logging to --log-file)'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -f -a "status" -d 'Show what the running daemon is doing'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -f -a "stop" -d 'Stop the running daemon (in-flight files finish first)'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and not __fish_seen_subcommand_from status stop help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from status" -l format -d 'Output format' -r -f -a "text\t'For people'
json\t'The status document'
prometheus\t'Prometheus text exposition format (for a node exporter\'s textfile collector)'"
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from status" -l socket -d 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from status" -l json -d 'Same as --format json'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from stop" -l socket -d 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show what the running daemon is doing'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop the running daemon (in-flight files finish first)'
complete -c astscan -n "__fish_astscan_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and not __fish_seen_subcommand_from stats clear path help" -s h -l help -d 'Print help'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and not __fish_seen_subcommand_from stats clear path help" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and not __fish_seen_subcommand_from stats clear path help" -f -a "stats" -d 'Entries and bytes the result cache holds (and the remote one, with --cache-url)'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and not __fish_seen_subcommand_from stats clear path help" -f -a "clear" -d 'Remove every cached result'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and not __fish_seen_subcommand_from stats clear path help" -f -a "path" -d 'Print the cache directory'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and not __fish_seen_subcommand_from stats clear path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-dir -d 'The result cache\'s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-max-size -d 'Evict least recently used results when the cache grows past this size' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-url -d 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-key-file -d 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-ttl -d 'Lifetime of the entries written to the remote cache [default: 30d]' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-connect-timeout -d 'Give up connecting to the remote cache after this long' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-timeout -d 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l json -d 'Print JSON'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-unauthenticated -d 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache-dir -d 'The result cache\'s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache-max-size -d 'Evict least recently used results when the cache grows past this size' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache-url -d 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache-key-file -d 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache-ttl -d 'Lifetime of the entries written to the remote cache [default: 30d]' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache-connect-timeout -d 'Give up connecting to the remote cache after this long' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache-timeout -d 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l remote -d 'Remove this engine build\'s entries from the remote cache (--cache-url) instead; other builds\' entries and other data on the server stay'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -l cache-unauthenticated -d 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from clear" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from path" -l cache-dir -d 'The result cache\'s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from path" -l cache-max-size -d 'Evict least recently used results when the cache grows past this size' -r
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Entries and bytes the result cache holds (and the remote one, with --cache-url)'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove every cached result'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the cache directory'
complete -c astscan -n "__fish_astscan_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c astscan -n "__fish_astscan_using_subcommand merge" -s f -l format -d 'Format of the merged report [default: the format of the inputs]' -r -f -a "text\t'Problems and a summary, for people (from JSON reports)'
json\t'One JSON report (from JSON reports)'
sarif\t'SARIF 2.1.0 (from SARIF reports, or from JSON reports)'
github\t'GitHub Actions workflow commands (from JSON reports)'
junit\t'JUnit XML (from JSON reports)'
gitlab\t'GitLab SAST report (from JSON reports)'"
complete -c astscan -n "__fish_astscan_using_subcommand merge" -s o -l output -d 'Write the merged report to FILE instead of stdout' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand merge" -l fail-on -d 'Exit with code 1 when a merged finding of this severity or higher is open (not suppressed or baselined)' -r -f -a "low\t'Any finding'
medium\t'Medium, high or critical findings'
high\t'High or critical findings'
critical\t'Critical findings'
never\t'Findings never change the exit code'"
complete -c astscan -n "__fish_astscan_using_subcommand merge" -l path-root -d 'The directory the paths of JSON reports are relative to, for SARIF, GitHub and GitLab output made from them [default: the current directory]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand merge" -l sarif-category -d 'The SARIF run\'s category [default: the inputs\' category, or astscan/ for JSON inputs]' -r
complete -c astscan -n "__fish_astscan_using_subcommand merge" -l color -d 'When to use colours in text output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c astscan -n "__fish_astscan_using_subcommand merge" -s q -l quiet -d 'No text summary on stdout (text format) or stderr (with --output)'
complete -c astscan -n "__fish_astscan_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c astscan -n "__fish_astscan_using_subcommand merge" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l root -d 'The directory whose files the tools may read; nothing outside it is read, and roots the client declares are narrowed to it [default: the current directory, replaced by the client\'s roots]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -s j -l jobs -d 'Number of parser worker processes per scan [default: jobs in .astscan.toml, or available CPUs]' -r
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l config -d 'Read this configuration file instead of looking for .astscan.toml from the root up' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l daemon -d 'Send files to the daemon: auto (when one runs), always (fail without it), never' -r -f -a "auto\t'Use a running daemon; scan directly when none runs or it fails'
always\t'Use the daemon; fail (exit 2) when it is not there or fails'
never\t'Never use the daemon'"
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l socket -d 'The daemon\'s socket [default: the daemon\'s default path]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l cache-dir -d 'The result cache\'s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l cache-max-size -d 'Evict least recently used results when the cache grows past this size' -r
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l cache-url -d 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed' -r
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l cache-key-file -d 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used' -r -F
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l cache-ttl -d 'Lifetime of the entries written to the remote cache [default: 30d]' -r
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l cache-connect-timeout -d 'Give up connecting to the remote cache after this long' -r
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l cache-timeout -d 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache' -r
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l no-config -d 'Do not read .astscan.toml'
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l no-cache -d 'Do not read or write the result cache'
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -l cache-unauthenticated -d 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c astscan -n "__fish_astscan_using_subcommand mcp" -s V -l version -d 'Print version'
complete -c astscan -n "__fish_astscan_using_subcommand help; and not __fish_seen_subcommand_from analyze graph rules daemon cache merge mcp help" -f -a "analyze" -d 'Scan files and directories and report structure, metrics and parse status'
complete -c astscan -n "__fish_astscan_using_subcommand help; and not __fish_seen_subcommand_from analyze graph rules daemon cache merge mcp help" -f -a "graph" -d 'The import graph of a repository: which file imports which, external packages, unresolved imports and import cycles'
complete -c astscan -n "__fish_astscan_using_subcommand help; and not __fish_seen_subcommand_from analyze graph rules daemon cache merge mcp help" -f -a "rules" -d 'List the security rules, or test rules against their annotated fixtures'
complete -c astscan -n "__fish_astscan_using_subcommand help; and not __fish_seen_subcommand_from analyze graph rules daemon cache merge mcp help" -f -a "daemon" -d 'Run the local daemon (warm workers, result cache), or query or stop it'
complete -c astscan -n "__fish_astscan_using_subcommand help; and not __fish_seen_subcommand_from analyze graph rules daemon cache merge mcp help" -f -a "cache" -d 'Show, locate or clear the result cache of direct scans'
complete -c astscan -n "__fish_astscan_using_subcommand help; and not __fish_seen_subcommand_from analyze graph rules daemon cache merge mcp help" -f -a "merge" -d 'Merge the JSON or SARIF reports of shards (`analyze --shard I/N`) or of separate scans into one report'
complete -c astscan -n "__fish_astscan_using_subcommand help; and not __fish_seen_subcommand_from analyze graph rules daemon cache merge mcp help" -f -a "mcp" -d 'Serve coding agents over the Model Context Protocol on stdin/stdout: scans, structure, hotspots, the import graph, rules and syntax trees of the files under one root'
complete -c astscan -n "__fish_astscan_using_subcommand help; and not __fish_seen_subcommand_from analyze graph rules daemon cache merge mcp help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c astscan -n "__fish_astscan_using_subcommand help; and __fish_seen_subcommand_from rules" -f -a "list" -d 'List the built-in rules (and those in --rules directories)'
complete -c astscan -n "__fish_astscan_using_subcommand help; and __fish_seen_subcommand_from rules" -f -a "test" -d 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings'
complete -c astscan -n "__fish_astscan_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "status" -d 'Show what the running daemon is doing'
complete -c astscan -n "__fish_astscan_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "stop" -d 'Stop the running daemon (in-flight files finish first)'
complete -c astscan -n "__fish_astscan_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "stats" -d 'Entries and bytes the result cache holds (and the remote one, with --cache-url)'
complete -c astscan -n "__fish_astscan_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Remove every cached result'
complete -c astscan -n "__fish_astscan_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "path" -d 'Print the cache directory'
