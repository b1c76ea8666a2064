<?php
// Network diagnostics page for the admin area.
require_once __DIR__ . '/auth.php';

const PING_COUNT = 3;
const STATUS_HOST = 'https://status.example.com';

class DiagRequest
{
    public $host;
    public $mode = 'ipv4';

    public function __construct(array $input)
    {
        $this->host = $input['host'] ?? '';
    }
}

function run_ping($target)
{
    // expect: CWE-78
    return shell_exec('ping -c ' . PING_COUNT . ' ' . $target);
}

$req = new DiagRequest($_POST);
$out = run_ping($req->host);

// safe: CWE-78
$out .= shell_exec('ping -c ' . PING_COUNT . ' ' . escapeshellarg($req->host));
// safe: CWE-78
$out .= shell_exec('ip -' . ($req->mode === 'ipv4' ? '4' : '6') . ' route');

$lookup = $_POST['lookup'] ?? '';
$cmds = ['dig ' . $lookup, 'uptime'];
// safe: CWE-78
system($cmds[1]);
// expect: CWE-78
system($cmds[0]);

$ids = [];
foreach (explode(',', $_POST['ids'] ?? '') as $i) {
    $ids[] = (int) $i;
}
// safe: CWE-78
passthru('show-jobs ' . implode(' ', $ids));

$code = $_POST['snippet'] ?? '';
if (false) {
    // safe: CWE-95
    eval($code);
}
// expect: CWE-95
eval('return ' . $code . ';');

$probe = $_POST['probe'] ?? '';
// expect: CWE-918
$body = file_get_contents($probe);
// safe: CWE-918
$status = file_get_contents(STATUS_HOST . '/api/' . rawurlencode($probe));

echo '<pre>' . htmlspecialchars($out . $body . $status) . '</pre>';
