<?php

function download()
{
    // ruleid: php.path-traversal.request-path, php.path-traversal.tainted-path
    readfile('/var/www/files/' . $_GET['file']);
    // ok: php.path-traversal.request-path
    readfile('/var/www/files/' . basename($_GET['file']));
    // ok: php.path-traversal.request-path
    readfile('/var/www/files/terms.pdf');
    // ruleid: php.path-traversal.request-path, php.path-traversal.tainted-path
    $data = file_get_contents("uploads/{$_POST['name']}");
    // ruleid: php.path-traversal.request-path, php.path-traversal.tainted-path
    unlink($_REQUEST['path']);
    return $data;
}

function upload()
{
    // ruleid: php.path-traversal.request-path, php.path-traversal.tainted-path
    move_uploaded_file($_FILES['avatar']['tmp_name'], 'avatars/' . $_FILES['avatar']['name']);
    // ok: php.path-traversal.request-path
    move_uploaded_file($_FILES['avatar']['tmp_name'], 'avatars/' . bin2hex(random_bytes(16)) . '.png');
}

// Flows from the request to a file path, followed through the handler.
function attachments()
{
    $name = $_GET['name'];
    // ruleid: php.path-traversal.tainted-path
    $body = file_get_contents('/srv/attachments/' . $name);

    $req = ['file' => $_POST['file'], 'dir' => 'inbox'];
    // ruleid: php.path-traversal.tainted-path
    $fh = fopen("/srv/mail/{$req['file']}", 'r');
    // ok: php.path-traversal.tainted-path
    $list = scandir("/srv/mail/{$req['dir']}");

    $segments = [];
    $segments[] = '/srv/export';
    $segments[] = $_GET['report'];
    // ruleid: php.path-traversal.tainted-path
    unlink(implode('/', $segments));
    // ok: php.path-traversal.tainted-path
    rmdir($segments[0] . '/tmp');

    $target = sprintf('/srv/export/%s.csv', $_GET['export']);
    // ruleid: php.path-traversal.tainted-path
    file_put_contents($target, $body);

    $clean = basename($_GET['name']);
    // ok: php.path-traversal.tainted-path
    readfile("/srv/attachments/$clean");

    $log = $_GET['log'];
    $log = 'app.log';
    // ok: php.path-traversal.tainted-path
    readfile("/var/log/$log");

    $dump = $_GET['dump'];
    if (false) {
        // ok: php.path-traversal.tainted-path
        readfile($dump);
    }
    return [$fh, $list];
}

function exportPath($file)
{
    return '/srv/export/' . trim($file);
}

class Exporter
{
    private $file;

    public function choose()
    {
        $this->file = $_GET['file'];
    }

    public function send()
    {
        // ruleid: php.path-traversal.tainted-path, php.path-traversal.request-path
        readfile(exportPath($_GET['file']));
        // ruleid: php.path-traversal.tainted-path
        return new SplFileObject('/srv/export/' . $this->file);
    }
}

function importUpload()
{
    // ok: php.path-traversal.tainted-path
    $csv = file_get_contents($_FILES['upload']['tmp_name']);
    // ruleid: php.path-traversal.tainted-path, php.path-traversal.request-path
    $copy = file_put_contents('/srv/imports/' . $_FILES['upload']['name'], $csv);
    return $copy;
}
