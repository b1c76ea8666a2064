
use builtin;
use str;

set edit:completion:arg-completer[astscan] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'astscan'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'astscan'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand analyze 'Scan files and directories and report structure, metrics and parse status'
            cand graph 'The import graph of a repository: which file imports which, external packages, unresolved imports and import cycles'
            cand rules 'List the security rules, or test rules against their annotated fixtures'
            cand daemon 'Run the local daemon (warm workers, result cache), or query or stop it'
            cand cache 'Show, locate or clear the result cache of direct scans'
            cand merge 'Merge the JSON or SARIF reports of shards (`analyze --shard I/N`) or of separate scans into one report'
            cand mcp 'Serve coding agents over the Model Context Protocol on stdin/stdout: scans, structure, hotspots, the import graph, rules and syntax trees of the files under one root'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'astscan;analyze'= {
            cand --path-root 'Make JSON and SARIF paths relative to DIR [default: the root of the git work tree the scanned paths are in, else the current directory]'
            cand -j 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]'
            cand --jobs 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]'
            cand --timeout 'Per-file deadline in seconds of the parse''s CPU time (waiting for a CPU does not count) [default: timeout in .astscan.toml, or 5]'
            cand --max-file-size 'Skip files larger than this (bytes; K, M, G suffixes are powers of 1024) [default: max-file-size in .astscan.toml, or 10M]'
            cand -l 'Only scan these languages (repeat or separate with commas)'
            cand --lang 'Only scan these languages (repeat or separate with commas)'
            cand -e 'Exclude paths matching GLOB (gitignore syntax; repeatable)'
            cand --exclude 'Exclude paths matching GLOB (gitignore syntax; repeatable)'
            cand --progress 'When to show a progress bar on stderr'
            cand --worker-memory 'Memory (address-space) limit per worker process in MiB; 0 for none'
            cand --min-confidence 'Run only rules at least this sure of their findings [default: medium, or min-confidence in .astscan.toml; low when rules are chosen with --enable or enable]. `low` adds the audit rules: shapes worth a look (a non-literal SQL string) whose taint versions report only real flows'
            cand --config 'Read this configuration file instead of looking for .astscan.toml'
            cand --rules 'Also run the rules in DIR (every *.yaml below it; repeatable)'
            cand --enable 'Only run these rules: ids (globs), CWE-<n> or OWASP categories (A03), separated by commas or repeated. Replaces enable in .astscan.toml; one that matches no rule is an error'
            cand --disable 'Do not run these rules (same syntax as --enable). Adds to disable in .astscan.toml; one that matches no rule is an error'
            cand --daemon 'Send files to the daemon: auto (when one runs), always (fail without it), never'
            cand --socket 'The daemon''s socket [default: the daemon''s default path]'
            cand --diff 'Scan only files changed since the merge base of REV and HEAD: committed, staged and unstaged changes and untracked files that are not ignored, as in the working tree. PATHS, if given, restrict it'
            cand --cache-dir 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]'
            cand --cache-max-size 'Evict least recently used results when the cache grows past this size'
            cand --cache-url 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed'
            cand --cache-key-file 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used'
            cand --cache-ttl 'Lifetime of the entries written to the remote cache [default: 30d]'
            cand --cache-connect-timeout 'Give up connecting to the remote cache after this long'
            cand --cache-timeout 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache'
            cand -f 'Report format'
            cand --format 'Report format'
            cand -o 'Write the report to FILE instead of stdout'
            cand --output 'Write the report to FILE instead of stdout'
            cand --shard 'Scan only shard I of N (1-based): every input file belongs to exactly one shard, picked by a hash of its path relative to the report root, so N jobs with 1/N … N/N scan the whole tree between them on any machine; merge their reports with `astscan merge`'
            cand --sarif-category 'The SARIF run''s category (automationDetails.id), which tells apart analyses of one commit uploaded to code scanning'
            cand --color 'When to use colours in text output'
            cand --fail-on 'Exit with code 1 when a finding of this severity or higher is reported [default: low, or fail-on in .astscan.toml]'
            cand --baseline 'Only findings not in this baseline file count (see --write-baseline)'
            cand --write-baseline 'Write this scan''s findings to FILE as a baseline (and do not fail on findings)'
            cand --stdin-filename 'Name the file read from standard input (`-` as the only PATH) is reported under; its extension or name chooses the language, and excludes apply to it as to a named file'
            cand --ast-max-depth 'Depth below which --format ast elides subtrees (they are marked "truncated")'
            cand --no-ignore 'Do not read .gitignore, .ignore, .astscanignore or git excludes'
            cand --hidden 'Scan hidden files and directories too'
            cand -L 'Follow symbolic links while walking directories'
            cand --follow 'Follow symbolic links while walking directories'
            cand --include-generated 'Parse minified and generated files instead of skipping them (also include-generated = true in .astscan.toml)'
            cand -q 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported'
            cand --quiet 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported'
            cand --no-config 'Do not read .astscan.toml'
            cand --no-rules 'Skip the built-in rules (rules from --rules still run)'
            cand --staged 'Scan what is staged for the next commit: the index''s content of staged files (not the working tree), reported under their paths relative to the repository root. PATHS, if given, restrict it'
            cand --no-cache 'Do not read or write the result cache (direct scans keep results by content in the user cache directory; see `astscan cache`)'
            cand --cache-unauthenticated 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
            cand --report-unused-suppressions 'List suppression comments that suppress nothing'
            cand --time-rules 'Measure each rule''s compile and match time and print the most expensive rules on stderr (all of them in the JSON summary). Rules then run one query each, so the scan is slower than usual'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;graph'= {
            cand --path-root 'Make JSON and SARIF paths relative to DIR [default: the root of the git work tree the scanned paths are in, else the current directory]'
            cand -j 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]'
            cand --jobs 'Number of parser worker processes [default: jobs in .astscan.toml, or available CPUs]'
            cand --timeout 'Per-file deadline in seconds of the parse''s CPU time (waiting for a CPU does not count) [default: timeout in .astscan.toml, or 5]'
            cand --max-file-size 'Skip files larger than this (bytes; K, M, G suffixes are powers of 1024) [default: max-file-size in .astscan.toml, or 10M]'
            cand -l 'Only scan these languages (repeat or separate with commas)'
            cand --lang 'Only scan these languages (repeat or separate with commas)'
            cand -e 'Exclude paths matching GLOB (gitignore syntax; repeatable)'
            cand --exclude 'Exclude paths matching GLOB (gitignore syntax; repeatable)'
            cand --progress 'When to show a progress bar on stderr'
            cand --worker-memory 'Memory (address-space) limit per worker process in MiB; 0 for none'
            cand --min-confidence 'Run only rules at least this sure of their findings [default: medium, or min-confidence in .astscan.toml; low when rules are chosen with --enable or enable]. `low` adds the audit rules: shapes worth a look (a non-literal SQL string) whose taint versions report only real flows'
            cand --config 'Read this configuration file instead of looking for .astscan.toml'
            cand --rules 'Also run the rules in DIR (every *.yaml below it; repeatable)'
            cand --enable 'Only run these rules: ids (globs), CWE-<n> or OWASP categories (A03), separated by commas or repeated. Replaces enable in .astscan.toml; one that matches no rule is an error'
            cand --disable 'Do not run these rules (same syntax as --enable). Adds to disable in .astscan.toml; one that matches no rule is an error'
            cand --daemon 'Send files to the daemon: auto (when one runs), always (fail without it), never'
            cand --socket 'The daemon''s socket [default: the daemon''s default path]'
            cand --diff 'Scan only files changed since the merge base of REV and HEAD: committed, staged and unstaged changes and untracked files that are not ignored, as in the working tree. PATHS, if given, restrict it'
            cand --cache-dir 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]'
            cand --cache-max-size 'Evict least recently used results when the cache grows past this size'
            cand --cache-url 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed'
            cand --cache-key-file 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used'
            cand --cache-ttl 'Lifetime of the entries written to the remote cache [default: 30d]'
            cand --cache-connect-timeout 'Give up connecting to the remote cache after this long'
            cand --cache-timeout 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache'
            cand -f 'Output format'
            cand --format 'Output format'
            cand -o 'Write the graph to FILE instead of stdout'
            cand --output 'Write the graph to FILE instead of stdout'
            cand --from-reports 'Build the graph from these JSON reports of `analyze` instead of scanning (`-` reads one from standard input): the reports of `analyze --shard I/N --format json` together make the graph of the whole tree. Project files (go.mod, tsconfig.json, ...) are read below --path-root (default: the current directory), where the reports'' paths start'
            cand --shard 'Refused with directions: a graph needs the imports of every file, so shards are scanned with `analyze --shard I/N --format json` and joined with `--from-reports`'
            cand --no-ignore 'Do not read .gitignore, .ignore, .astscanignore or git excludes'
            cand --hidden 'Scan hidden files and directories too'
            cand -L 'Follow symbolic links while walking directories'
            cand --follow 'Follow symbolic links while walking directories'
            cand --include-generated 'Parse minified and generated files instead of skipping them (also include-generated = true in .astscan.toml)'
            cand -q 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported'
            cand --quiet 'No progress bar and no text summary (on stdout, or on stderr with --output); problems are still reported'
            cand --no-config 'Do not read .astscan.toml'
            cand --no-rules 'Skip the built-in rules (rules from --rules still run)'
            cand --staged 'Scan what is staged for the next commit: the index''s content of staged files (not the working tree), reported under their paths relative to the repository root. PATHS, if given, restrict it'
            cand --no-cache 'Do not read or write the result cache (direct scans keep results by content in the user cache directory; see `astscan cache`)'
            cand --cache-unauthenticated 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
            cand --fail-on-cycles 'Exit with code 1 when the graph has an import cycle'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;rules'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the built-in rules (and those in --rules directories)'
            cand test 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'astscan;rules;list'= {
            cand -f 'Output format'
            cand --format 'Output format'
            cand --rules 'Also load the rules in DIR (every *.yaml below it; repeatable)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;rules;test'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;rules;help'= {
            cand list 'List the built-in rules (and those in --rules directories)'
            cand test 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'astscan;rules;help;list'= {
        }
        &'astscan;rules;help;test'= {
        }
        &'astscan;rules;help;help'= {
        }
        &'astscan;daemon'= {
            cand --socket 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]'
            cand --idle-timeout 'Exit after no request for this long (e.g. 30m, 2h) [default: never]'
            cand --workers 'Worker processes per rule/option set [default: available CPUs]'
            cand --prewarm 'Languages every worker compiles at start-up (built-in rules, default options)'
            cand --session-ttl 'A session unused for this long expires'
            cand --cache-size 'Result cache size in memory (bytes; K, M, G suffixes are powers of 1024; 0 disables it). Behind it the daemon shares the result cache directory of direct scans'
            cand --cache-dir 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]'
            cand --cache-max-size 'Evict least recently used results when the cache grows past this size'
            cand --cache-url 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed'
            cand --cache-key-file 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used'
            cand --cache-ttl 'Lifetime of the entries written to the remote cache [default: 30d]'
            cand --cache-connect-timeout 'Give up connecting to the remote cache after this long'
            cand --cache-timeout 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache'
            cand --max-connections 'Open connections served at once; more are told to retry'
            cand --max-in-flight 'Files one session may have queued or parsing; more are told to retry'
            cand --max-file-size 'Largest file the daemon accepts (bytes; K, M, G suffixes)'
            cand --recycle-after 'Replace a worker after this many files'
            cand --recycle-rss 'Replace a worker whose resident memory exceeds this many MiB'
            cand --worker-nice 'Niceness of the workers (0-19). They do background work for every client; a little below normal priority keeps a long scan from crowding out the interactive processes (editors, the clients themselves) on a busy machine. It costs nothing on an idle one'
            cand --quarantine 'After files of a language crashed workers 5 times in a row, that language is refused for this long (clients scan its files directly meanwhile), then tried again; the same for workers that fail to start'
            cand --worker-idle 'Stop a worker that had nothing to do for this long'
            cand --grace 'Time in-flight files get to finish at shutdown'
            cand --log-level 'Most verbose log level written to the log'
            cand --log-file 'Append the log to this file instead of writing it to stderr [default with --detach: $XDG_STATE_HOME/astscan/daemon.log, or ~/.local/state/astscan/daemon.log]'
            cand --async 'Serve connections concurrently, with fair scheduling between sessions (without it, one connection at a time)'
            cand --no-cache 'Keep results in memory only: do not read or write the result cache directory that direct scans share'
            cand --cache-unauthenticated 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
            cand --detach 'Start in the background, detached from the terminal: wait until the daemon listens, print its pid and exit (logging to --log-file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Show what the running daemon is doing'
            cand stop 'Stop the running daemon (in-flight files finish first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'astscan;daemon;status'= {
            cand --format 'Output format'
            cand --socket 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]'
            cand --json 'Same as --format json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;daemon;stop'= {
            cand --socket 'Socket path [default: $XDG_RUNTIME_DIR/astscan/daemon.sock, or /tmp/astscan-UID/]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;daemon;help'= {
            cand status 'Show what the running daemon is doing'
            cand stop 'Stop the running daemon (in-flight files finish first)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'astscan;daemon;help;status'= {
        }
        &'astscan;daemon;help;stop'= {
        }
        &'astscan;daemon;help;help'= {
        }
        &'astscan;cache'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand stats 'Entries and bytes the result cache holds (and the remote one, with --cache-url)'
            cand clear 'Remove every cached result'
            cand path 'Print the cache directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'astscan;cache;stats'= {
            cand --cache-dir 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]'
            cand --cache-max-size 'Evict least recently used results when the cache grows past this size'
            cand --cache-url 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed'
            cand --cache-key-file 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used'
            cand --cache-ttl 'Lifetime of the entries written to the remote cache [default: 30d]'
            cand --cache-connect-timeout 'Give up connecting to the remote cache after this long'
            cand --cache-timeout 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache'
            cand --json 'Print JSON'
            cand --cache-unauthenticated 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;cache;clear'= {
            cand --cache-dir 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]'
            cand --cache-max-size 'Evict least recently used results when the cache grows past this size'
            cand --cache-url 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed'
            cand --cache-key-file 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used'
            cand --cache-ttl 'Lifetime of the entries written to the remote cache [default: 30d]'
            cand --cache-connect-timeout 'Give up connecting to the remote cache after this long'
            cand --cache-timeout 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache'
            cand --remote 'Remove this engine build''s entries from the remote cache (--cache-url) instead; other builds'' entries and other data on the server stay'
            cand --cache-unauthenticated 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;cache;path'= {
            cand --cache-dir 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]'
            cand --cache-max-size 'Evict least recently used results when the cache grows past this size'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;cache;help'= {
            cand stats 'Entries and bytes the result cache holds (and the remote one, with --cache-url)'
            cand clear 'Remove every cached result'
            cand path 'Print the cache directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'astscan;cache;help;stats'= {
        }
        &'astscan;cache;help;clear'= {
        }
        &'astscan;cache;help;path'= {
        }
        &'astscan;cache;help;help'= {
        }
        &'astscan;merge'= {
            cand -f 'Format of the merged report [default: the format of the inputs]'
            cand --format 'Format of the merged report [default: the format of the inputs]'
            cand -o 'Write the merged report to FILE instead of stdout'
            cand --output 'Write the merged report to FILE instead of stdout'
            cand --fail-on 'Exit with code 1 when a merged finding of this severity or higher is open (not suppressed or baselined)'
            cand --path-root 'The directory the paths of JSON reports are relative to, for SARIF, GitHub and GitLab output made from them [default: the current directory]'
            cand --sarif-category 'The SARIF run''s category [default: the inputs'' category, or astscan/ for JSON inputs]'
            cand --color 'When to use colours in text output'
            cand -q 'No text summary on stdout (text format) or stderr (with --output)'
            cand --quiet 'No text summary on stdout (text format) or stderr (with --output)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;mcp'= {
            cand --root 'The directory whose files the tools may read; nothing outside it is read, and roots the client declares are narrowed to it [default: the current directory, replaced by the client''s roots]'
            cand -j 'Number of parser worker processes per scan [default: jobs in .astscan.toml, or available CPUs]'
            cand --jobs 'Number of parser worker processes per scan [default: jobs in .astscan.toml, or available CPUs]'
            cand --config 'Read this configuration file instead of looking for .astscan.toml from the root up'
            cand --daemon 'Send files to the daemon: auto (when one runs), always (fail without it), never'
            cand --socket 'The daemon''s socket [default: the daemon''s default path]'
            cand --cache-dir 'The result cache''s directory [default: $XDG_CACHE_HOME/astscan, or ~/.cache/astscan]'
            cand --cache-max-size 'Evict least recently used results when the cache grows past this size'
            cand --cache-url 'Share results through this Redis server: redis://HOST[:PORT][/DB], rediss:// (TLS) or redis+unix:///PATH. A password is better given in ASTSCAN_CACHE_PASSWORD than in the URL (and a user name in ASTSCAN_CACHE_USERNAME); neither is ever printed'
            cand --cache-key-file 'The team key that authenticates remote entries: a file only you can read (mode 0600) holding at least 32 bytes, e.g. made with `openssl rand -hex 32`. Without it the remote cache is not used'
            cand --cache-ttl 'Lifetime of the entries written to the remote cache [default: 30d]'
            cand --cache-connect-timeout 'Give up connecting to the remote cache after this long'
            cand --cache-timeout 'Give up on one remote cache command after this long; after 3 failures in a row the scan goes on without the remote cache'
            cand --no-config 'Do not read .astscan.toml'
            cand --no-cache 'Do not read or write the result cache'
            cand --cache-unauthenticated 'Read the remote cache without a team key, and never write to it. UNSAFE on a shared server: whoever can write to it can change results and hide findings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'astscan;help'= {
            cand analyze 'Scan files and directories and report structure, metrics and parse status'
            cand graph 'The import graph of a repository: which file imports which, external packages, unresolved imports and import cycles'
            cand rules 'List the security rules, or test rules against their annotated fixtures'
            cand daemon 'Run the local daemon (warm workers, result cache), or query or stop it'
            cand cache 'Show, locate or clear the result cache of direct scans'
            cand merge 'Merge the JSON or SARIF reports of shards (`analyze --shard I/N`) or of separate scans into one report'
            cand mcp 'Serve coding agents over the Model Context Protocol on stdin/stdout: scans, structure, hotspots, the import graph, rules and syntax trees of the files under one root'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'astscan;help;analyze'= {
        }
        &'astscan;help;graph'= {
        }
        &'astscan;help;rules'= {
            cand list 'List the built-in rules (and those in --rules directories)'
            cand test 'Check rules against annotated fixtures (`ruleid: <id>` / `ok: <id>` comments on the line before). Without DIR, the built-in rules and fixtures; with DIR, the rules and fixtures found below it. Exit code 1 when a fixture has missing or noisy findings'
        }
        &'astscan;help;rules;list'= {
        }
        &'astscan;help;rules;test'= {
        }
        &'astscan;help;daemon'= {
            cand status 'Show what the running daemon is doing'
            cand stop 'Stop the running daemon (in-flight files finish first)'
        }
        &'astscan;help;daemon;status'= {
        }
        &'astscan;help;daemon;stop'= {
        }
        &'astscan;help;cache'= {
            cand stats 'Entries and bytes the result cache holds (and the remote one, with --cache-url)'
            cand clear 'Remove every cached result'
            cand path 'Print the cache directory'
        }
        &'astscan;help;cache;stats'= {
        }
        &'astscan;help;cache;clear'= {
        }
        &'astscan;help;cache;path'= {
        }
        &'astscan;help;merge'= {
        }
        &'astscan;help;mcp'= {
        }
        &'astscan;help;help'= {
        }
    ]
    $completions[$command]
}
