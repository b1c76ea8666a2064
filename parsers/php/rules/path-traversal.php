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
