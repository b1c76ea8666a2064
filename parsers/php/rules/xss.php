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
// ruleid: php.xss.echo-request-data
$_GET['message'] ?></p>
<p><?=
// ok: php.xss.echo-request-data
htmlspecialchars($_GET['message']) ?></p>
</form>
