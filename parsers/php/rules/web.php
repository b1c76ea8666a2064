<?php

function preview($url)
{
    // ruleid: php.ssrf.non-literal-url
    $ch = curl_init($url);
    // ok: php.ssrf.non-literal-url
    $ch2 = curl_init('https://status.example.com/health');
    // ruleid: php.ssrf.non-literal-url, php.ssrf.tainted-url
    curl_setopt($ch2, CURLOPT_URL, $_GET['target']);
    // ok: php.ssrf.non-literal-url
    curl_setopt($ch2, CURLOPT_URL, 'https://api.example.com/users/' . $id);
    return [$ch, $ch2];
}

function guzzleFetch($client, $request)
{
    // ruleid: php.ssrf.non-literal-url, php.ssrf.tainted-url
    $res = $client->request('GET', $request->input('callback_url'));
    // ok: php.ssrf.non-literal-url
    $res2 = $client->request('GET', 'https://api.example.com/v1/ping');
    // ruleid: php.ssrf.non-literal-url, php.ssrf.tainted-url
    $res3 = Http::get($request->query('feed'));
    return [$res, $res2, $res3];
}

function afterLogin()
{
    // ruleid: php.open-redirect.request-url, php.open-redirect.tainted-redirect
    header("Location: " . $_GET['next']);
    // ruleid: php.open-redirect.request-url, php.open-redirect.tainted-redirect
    header("Location: {$_POST['return_to']}");
    // ok: php.open-redirect.request-url
    header("Location: /account/profile.php?id=" . $userId);
    // ok: php.open-redirect.request-url
    header("Location: /dashboard");
    // ok: php.open-redirect.request-url
    header("Content-Type: " . $mime);
    // ruleid: php.open-redirect.request-url, php.open-redirect.tainted-redirect
    wp_redirect($_GET['redirect_to']);
    // ok: php.open-redirect.request-url
    wp_safe_redirect($_GET['redirect_to']);
    // ok: php.open-redirect.request-url
    wp_redirect(admin_url('options-general.php'));
    exit;
}

function laravelRedirect($request)
{
    // ruleid: php.open-redirect.request-url, php.open-redirect.tainted-redirect
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

// Flows from the request to outgoing URLs, redirects, LDAP filters and XPath expressions.
function fetchPreview($client)
{
    $url = $_GET['url'];
    // ruleid: php.ssrf.tainted-url, php.ssrf.non-literal-url
    $ch = curl_init($url);

    $hooks = ['target' => $_POST['hook'], 'status' => 'https://status.example.com/'];
    // ruleid: php.ssrf.tainted-url, php.ssrf.non-literal-url
    curl_setopt($ch, CURLOPT_URL, $hooks['target']);
    // ok: php.ssrf.tainted-url, ruleid: php.ssrf.non-literal-url
    curl_setopt($ch, CURLOPT_URL, $hooks['status']);

    $feeds = [];
    $feeds[] = 'https://news.example.com/rss';
    $feeds[] = $_GET['feed'];
    // ruleid: php.ssrf.tainted-url, php.ssrf.non-literal-url
    $res = $client->request('GET', $feeds[1]);
    // ok: php.ssrf.tainted-url, ruleid: php.ssrf.non-literal-url
    $res2 = $client->request('GET', $feeds[0]);

    $endpoint = sprintf('http://%s/api', $_GET['host']);
    // ruleid: php.ssrf.tainted-url, php.ssrf.non-literal-url
    $headers = get_headers($endpoint);

    $port = (int) $_GET['port'];
    // ok: php.ssrf.tainted-url, ruleid: php.ssrf.non-literal-url
    $ch2 = curl_init("https://api.example.com:$port/v1");

    $mirror = $_GET['mirror'];
    $mirror = 'https://mirror.example.com/';
    // ok: php.ssrf.tainted-url
    $ch3 = curl_init($mirror);

    $probe = $_GET['probe'];
    if (false) {
        // ok: php.ssrf.tainted-url, ruleid: php.ssrf.non-literal-url
        $ch4 = curl_init($probe);
    }
    return [$res, $res2, $headers, $ch2, $ch3];
}

function callbackUrl($host)
{
    return 'https://' . trim($host) . '/callback';
}

class Webhook
{
    private $target;

    public function register()
    {
        $this->target = $_POST['target'];
    }

    public function fire()
    {
        // ruleid: php.ssrf.tainted-url, php.ssrf.non-literal-url
        $a = curl_init(callbackUrl($_POST['host']));
        // ruleid: php.ssrf.tainted-url, php.ssrf.non-literal-url
        $b = Http::post($this->target);
        return [$a, $b];
    }
}

function afterSignup($request)
{
    $next = $_GET['next'];
    // ruleid: php.open-redirect.tainted-redirect, php.open-redirect.request-url
    header("Location: $next");

    $targets = ['back' => $request->input('back'), 'home' => '/home'];
    // ruleid: php.open-redirect.tainted-redirect
    wp_redirect($targets['back']);
    // ok: php.open-redirect.tainted-redirect
    wp_redirect($targets['home']);

    $stack = [];
    $stack[] = '/welcome';
    $stack[] = $_GET['return'];
    // ruleid: php.open-redirect.tainted-redirect
    return redirect()->to($stack[1]);
}

function afterSignupSafe()
{
    // ok: php.open-redirect.tainted-redirect
    header('Location: /search?q=' . urlencode($_GET['q']));
    $ret = $_GET['ret'];
    $ret = '/account';
    // ok: php.open-redirect.tainted-redirect
    wp_redirect($ret);
    $dest = $_GET['dest'];
    if (false) {
        // ok: php.open-redirect.tainted-redirect
        wp_redirect($dest);
    }
    // ok: php.open-redirect.tainted-redirect
    header('X-Requested-Page: ' . $_GET['page']);
    // ok: php.open-redirect.tainted-redirect
    return Redirect::to('/home');
}

function safeTarget($path)
{
    return '/' . ltrim($path, '/');
}

class LoginController
{
    private $returnTo;

    public function remember()
    {
        $this->returnTo = $_GET['return_to'];
    }

    public function finish()
    {
        // ruleid: php.open-redirect.tainted-redirect
        wp_redirect(safeTarget($_GET['to']));
        // ruleid: php.open-redirect.tainted-redirect
        return new RedirectResponse($this->returnTo);
    }
}

function directory($ldap)
{
    $user = $_GET['user'];
    // ruleid: php.ldap-injection.tainted-filter, php.ldap-injection.non-literal-filter
    $r = ldap_search($ldap, 'ou=people,dc=example,dc=com', "(uid=$user)");
    $escaped = ldap_escape($_GET['user'], '', LDAP_ESCAPE_FILTER);
    // ok: php.ldap-injection.tainted-filter, ruleid: php.ldap-injection.non-literal-filter
    $r2 = ldap_search($ldap, 'ou=people,dc=example,dc=com', "(uid=$escaped)");
    $f = ['mail' => $_POST['mail'], 'class' => 'person'];
    // ruleid: php.ldap-injection.tainted-filter, php.ldap-injection.non-literal-filter
    $r3 = ldap_list($ldap, 'dc=example,dc=com', '(mail=' . $f['mail'] . ')');
    // ok: php.ldap-injection.tainted-filter, ruleid: php.ldap-injection.non-literal-filter
    $r4 = ldap_list($ldap, 'dc=example,dc=com', '(objectClass=' . $f['class'] . ')');
    return [$r, $r2, $r3, $r4];
}

function catalog(DOMXPath $xpath)
{
    $sku = $_GET['sku'];
    // ruleid: php.xpath-injection.tainted-expression, php.xpath-injection.non-literal-expression
    $nodes = $xpath->query("//product[@sku='$sku']");
    $id = (int) $_GET['id'];
    // ok: php.xpath-injection.tainted-expression, ruleid: php.xpath-injection.non-literal-expression
    $byId = $xpath->query("//product[@id=$id]");
    $doc = simplexml_load_file('/srv/catalog.xml');
    // ruleid: php.xpath-injection.tainted-expression
    $hits = $doc->xpath(sprintf("//item[name='%s']", $_POST['name']));
    return [$nodes, $byId, $hits];
}

function searchRedirect()
{
    // ok: php.open-redirect.tainted-redirect
    wp_redirect('/search?q=' . $_GET['q']);
    // ok: php.open-redirect.tainted-redirect
    wp_redirect("/items/{$_GET['id']}/edit");
    // ruleid: php.open-redirect.tainted-redirect
    wp_redirect("//{$_GET['host']}/landing");
    // ok: php.ssrf.tainted-url
    $ch = curl_init('https://api.example.com/items/' . $_GET['id']);
    // ruleid: php.ssrf.tainted-url, php.ssrf.non-literal-url
    $ch2 = curl_init('https://' . $_GET['host'] . '/items');
    return [$ch, $ch2];
}
