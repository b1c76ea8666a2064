<?php

function thumbnail($file)
{
    // ruleid: php.command-injection.shell-call
    exec("convert " . $file . " -resize 100x100 /tmp/thumb.png");
    // ok: php.command-injection.shell-call
    exec("convert " . escapeshellarg($file) . " -resize 100x100 /tmp/thumb.png");
    // ok: php.command-injection.shell-call
    exec("convert /var/www/static/logo.png -resize 100x100 /tmp/thumb.png");
}

function ping()
{
    $host = $_GET['host'];
    // ruleid: php.command-injection.shell-call, php.command-injection.tainted-command
    $out = shell_exec("ping -c 3 $host");
    // ruleid: php.command-injection.shell-call, php.command-injection.tainted-command
    system($_POST['cmd']);
    $uptime = 'uptime';
    // ok: php.command-injection.shell-call
    passthru($uptime);
    // ok: php.command-injection.shell-call
    $proc = proc_open(['ping', '-c', '3', $host], [1 => ['pipe', 'w']], $pipes);
    // ruleid: php.command-injection.shell-call, php.command-injection.tainted-command
    $listing = `ls -la {$_GET['dir']}`;
    // ok: php.command-injection.shell-call
    $date = `date +%Y-%m-%d`;
    return [$out, $proc, $listing, $date];
}

// Flows from the request to a shell command, followed through the handler.
function archive()
{
    $dir = $_POST['dir'];
    // ruleid: php.command-injection.tainted-command, php.command-injection.shell-call
    system('tar czf /tmp/backup.tgz ' . $dir);

    $opts = ['level' => $_GET['level'], 'format' => 'tgz'];
    // ruleid: php.command-injection.tainted-command, php.command-injection.shell-call
    exec("gzip -{$opts['level']} /tmp/backup.tar");
    // ok: php.command-injection.tainted-command, ruleid: php.command-injection.shell-call
    exec("tar --format={$opts['format']} -cf /tmp/b.tar .");

    $args = [];
    $args[] = '-v';
    $args[] = $_GET['extra'];
    // ruleid: php.command-injection.tainted-command, php.command-injection.shell-call
    passthru('rsync ' . implode(' ', $args) . ' /srv /backup');
    $flags = ['-a', $_GET['extra']];
    // ok: php.command-injection.tainted-command, ruleid: php.command-injection.shell-call
    passthru('rsync ' . $flags[0] . ' /srv /backup');

    $cmd = sprintf('du -sh %s', $_GET['path']);
    // ruleid: php.command-injection.tainted-command, php.command-injection.shell-call
    $usage = shell_exec($cmd);

    $safe = escapeshellarg($_GET['path']);
    // ok: php.command-injection.tainted-command, ruleid: php.command-injection.shell-call
    $size = shell_exec("du -sh $safe");

    $target = $_GET['target'];
    $target = '/srv/www';
    // ok: php.command-injection.tainted-command, ruleid: php.command-injection.shell-call
    system("ls -la $target");

    $verbose = $_GET['v'];
    if (false) {
        // ok: php.command-injection.tainted-command, ruleid: php.command-injection.shell-call
        system("ls $verbose");
    }

    // ok: php.command-injection.tainted-command
    $proc = proc_open(['du', '-sh', $_GET['path']], [1 => ['pipe', 'w']], $pipes);
    return [$usage, $size, $proc];
}

function pingCommand($host)
{
    return 'ping -c 1 ' . $host;
}

class Backup
{
    private $host;

    public function configure()
    {
        $this->host = $_GET['host'];
    }

    public function run()
    {
        // ruleid: php.command-injection.tainted-command, php.command-injection.shell-call
        exec(pingCommand($_GET['host']));
        // ruleid: php.command-injection.tainted-command, php.command-injection.shell-call
        return shell_exec("ssh backup@{$this->host} true");
    }
}
