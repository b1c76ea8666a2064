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
