<?php
$name = $_GET['name'] ?? '';
// ruleid: php.xss.echo-request-data, php.xss.tainted-output
echo "<h1>Hello " . $_GET['name'] . "</h1>";
// ok: php.xss.echo-request-data
echo "<h1>Hello " . htmlspecialchars($_GET['name'], ENT_QUOTES, 'UTF-8') . "</h1>";
// ruleid: php.xss.echo-request-data, php.xss.tainted-output
print "Search results for: {$_REQUEST['q']}";
// ok: php.xss.echo-request-data
echo isset($_GET['debug']) ? 'debug on' : 'debug off';
// ok: php.xss.echo-request-data
echo "Page " . intval($_GET['page']);
// ruleid: php.xss.echo-request-data, php.xss.tainted-output
printf('<a href="%s">back</a>', $_SERVER['HTTP_REFERER']);
?>
<form action="<?php
// ok: php.xss.echo-request-data
echo htmlspecialchars($_SERVER['PHP_SELF']); ?>" method="post">
<p><?=
// ruleid: php.xss.echo-request-data, php.xss.tainted-output
$_GET['message'] ?></p>
<p><?=
// ok: php.xss.echo-request-data
htmlspecialchars($_GET['message']) ?></p>
</form>
<?php
// Flows from the request to the response, followed through the handler.
function profile()
{
    $name = $_GET['name'];
    // ruleid: php.xss.tainted-output
    echo '<h1>' . $name . '</h1>';

    $user = ['bio' => $_POST['bio'], 'role' => 'member'];
    // ruleid: php.xss.tainted-output
    echo "<p>{$user['bio']}</p>";
    // ok: php.xss.tainted-output
    echo "<p>{$user['role']}</p>";

    $lines = [];
    $lines[] = '<ul>';
    $lines[] = $_GET['item'];
    // ruleid: php.xss.tainted-output
    print $lines[1];
    // ok: php.xss.tainted-output
    print $lines[0];

    $greeting = sprintf('<p>Hello %s</p>', $_COOKIE['nick']);
    // ruleid: php.xss.tainted-output
    echo $greeting;

    $safe = htmlspecialchars($_GET['q'], ENT_QUOTES, 'UTF-8');
    // ok: php.xss.tainted-output
    echo "<input value=\"$safe\">";

    $page = (int) $_GET['page'];
    // ok: php.xss.tainted-output
    echo "<span>page $page</span>";

    $title = $_GET['title'];
    $title = 'Profile';
    // ok: php.xss.tainted-output
    echo "<title>$title</title>";

    $trace = $_GET['trace'];
    if (false) {
        // ok: php.xss.tainted-output
        echo $trace;
    }
}

function badge($label)
{
    return '<span class="badge">' . strtoupper($label) . '</span>';
}

class ProfileView
{
    private $motto;

    public function load()
    {
        $this->motto = $_REQUEST['motto'];
    }

    public function show()
    {
        // ruleid: php.xss.tainted-output, php.xss.echo-request-data
        echo badge($_GET['label']);
        // ruleid: php.xss.tainted-output
        echo "<blockquote>{$this->motto}</blockquote>";
    }
}

function jsonApi($request)
{
    // ruleid: php.xss.tainted-output
    die('Unknown action ' . $request->input('action'));
}
?>
<p><?=
// ruleid: php.xss.tainted-output, php.xss.echo-request-data
$_GET['message'] . '!' ?></p>
<?php if ($_GET['preview'] ?? false): ?>
<div><?=
// ruleid: php.xss.tainted-output, php.xss.echo-request-data
$_GET['preview'] ?></div>
<?php endif; ?>
