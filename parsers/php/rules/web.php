<?php

function preview($url)
{
    // ruleid: php.ssrf.non-literal-url
    $ch = curl_init($url);
    // ok: php.ssrf.non-literal-url
    $ch2 = curl_init('https://status.example.com/health');
    // ruleid: php.ssrf.non-literal-url
    curl_setopt($ch2, CURLOPT_URL, $_GET['target']);
    // ok: php.ssrf.non-literal-url
    curl_setopt($ch2, CURLOPT_URL, 'https://api.example.com/users/' . $id);
    return [$ch, $ch2];
}

function guzzleFetch($client, $request)
{
    // ruleid: php.ssrf.non-literal-url
    $res = $client->request('GET', $request->input('callback_url'));
    // ok: php.ssrf.non-literal-url
    $res2 = $client->request('GET', 'https://api.example.com/v1/ping');
    // ruleid: php.ssrf.non-literal-url
    $res3 = Http::get($request->query('feed'));
    return [$res, $res2, $res3];
}

function afterLogin()
{
    // ruleid: php.open-redirect.request-url
    header("Location: " . $_GET['next']);
    // ruleid: php.open-redirect.request-url
    header("Location: {$_POST['return_to']}");
    // ok: php.open-redirect.request-url
    header("Location: /account/profile.php?id=" . $userId);
    // ok: php.open-redirect.request-url
    header("Location: /dashboard");
    // ok: php.open-redirect.request-url
    header("Content-Type: " . $mime);
    // ruleid: php.open-redirect.request-url
    wp_redirect($_GET['redirect_to']);
    // ok: php.open-redirect.request-url
    wp_safe_redirect($_GET['redirect_to']);
    // ok: php.open-redirect.request-url
    wp_redirect(admin_url('options-general.php'));
    exit;
}

function laravelRedirect($request)
{
    // ruleid: php.open-redirect.request-url
    return redirect()->away($request->input('url'));
}

function remember($token)
{
    // ruleid: php.insecure-cookie.flags-disabled
    setcookie('remember', $token, time() + 86400, '/', '', false, true);
    // ruleid: php.insecure-cookie.flags-disabled
    setcookie('session', $token, time() + 3600, '/', 'example.com', true, false);
    // ok: php.insecure-cookie.flags-disabled
    setcookie('remember', $token, time() + 86400, '/', '', true, true);
    setcookie('prefs', $token, [
        'expires' => time() + 86400,
        // ruleid: php.insecure-cookie.flags-disabled
        'httponly' => false,
        // ok: php.insecure-cookie.flags-disabled
        'secure' => true,
    ]);
    // ruleid: php.insecure-cookie.flags-disabled
    ini_set('session.cookie_httponly', '0');
    // ok: php.insecure-cookie.flags-disabled
    ini_set('session.cookie_secure', '1');
}

function findUser($ds, $username)
{
    // ruleid: php.ldap-injection.non-literal-filter
    $sr = ldap_search($ds, 'dc=example,dc=com', "(uid=$username)");
    // ok: php.ldap-injection.non-literal-filter
    $sr2 = ldap_search($ds, 'dc=example,dc=com', '(objectClass=person)');
    // ok: php.ldap-injection.non-literal-filter
    $sr3 = ldap_search($ds, 'dc=example,dc=com', '(uid=' . ldap_escape($username, '', LDAP_ESCAPE_FILTER) . ')');
    return [$sr, $sr2, $sr3];
}

function findProduct(DOMDocument $doc, $name)
{
    $xpath = new DOMXPath($doc);
    // ruleid: php.xpath-injection.non-literal-expression
    $nodes = $xpath->query("//product[name='" . $name . "']");
    // ok: php.xpath-injection.non-literal-expression
    $all = $xpath->query('//product[@available="yes"]');
    $sxml = simplexml_load_string($doc->saveXML());
    // ruleid: php.xpath-injection.non-literal-expression
    $hits = $sxml->xpath("//user[@id='$name']");
    // ok: php.xpath-injection.non-literal-expression
    $rows = $db->query("SELECT 1");
    return [$nodes, $all, $hits, $rows];
}
