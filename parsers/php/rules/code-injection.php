<?php

function calculate()
{
    $expr = $_POST['expr'];
    // ruleid: php.code-injection.eval, php.code-injection.tainted-code
    eval('$result = ' . $expr . ';');
    // ok: php.code-injection.eval
    eval('$result = 6 * 7;');
    // ruleid: php.code-injection.eval, php.code-injection.tainted-code
    assert($_GET['check']);
    // ok: php.code-injection.eval
    assert($result > 0);
    // ruleid: php.code-injection.eval, php.code-injection.tainted-code
    $fn = create_function('$x', 'return $x * ' . $_GET['factor'] . ';');
    // ruleid: php.code-injection.eval
    $out = preg_replace('/(.*)/e', $_GET['replacement'], $input);
    // ok: php.code-injection.eval
    $clean = preg_replace('/[^a-z0-9]+/i', '-', $input);
    return [$result, $fn, $out, $clean];
}

function page()
{
    // ruleid: php.code-injection.request-data, php.code-injection.tainted-code
    include $_GET['page'] . '.php';
    // ok: php.code-injection.request-data
    require_once __DIR__ . '/../vendor/autoload.php';
    // ok: php.code-injection.request-data
    include 'pages/' . basename($_GET['page']) . '.php';
    // ruleid: php.code-injection.request-data, php.code-injection.tainted-code
    call_user_func($_GET['action'], $_GET['arg']);
    // ok: php.code-injection.request-data
    call_user_func([$this, 'handle'], $_GET['arg']);
    // A variable used as the callee is not followed yet.
    // todoruleid: php.code-injection.tainted-code
    // ruleid: php.code-injection.request-data
    $_REQUEST['callback']();
}

// Flows from the request to evaluated or included code.
function template()
{
    $theme = $_GET['theme'];
    // ruleid: php.code-injection.tainted-code
    include 'themes/' . $theme . '/header.php';

    $settings = ['formula' => $_POST['formula'], 'unit' => 'cm'];
    // ruleid: php.code-injection.tainted-code, php.code-injection.eval
    eval('return ' . $settings['formula'] . ';');
    // ok: php.code-injection.tainted-code, ruleid: php.code-injection.eval
    eval('return "' . $settings['unit'] . '";');

    $parts = [];
    $parts[] = 'strtoupper';
    $parts[] = $_GET['filter'];
    // ruleid: php.code-injection.tainted-code
    call_user_func($parts[1], 'x');
    // ok: php.code-injection.tainted-code
    call_user_func($parts[0], 'x');

    $page = basename($_GET['page']);
    // ok: php.code-injection.tainted-code
    include "pages/$page.php";

    $handler = $_GET['handler'];
    $handler = 'render';
    // ok: php.code-injection.tainted-code
    call_user_func($handler);

    $code = $_GET['code'];
    if (false) {
        // ok: php.code-injection.tainted-code, ruleid: php.code-injection.eval
        eval($code);
    }
}

function pluginPath($name)
{
    return sprintf('plugins/%s.php', $name);
}

class PluginLoader
{
    private $plugin;

    public function select()
    {
        $this->plugin = $_GET['plugin'];
    }

    public function load()
    {
        // ruleid: php.code-injection.tainted-code, php.code-injection.request-data
        require pluginPath($_GET['plugin']);
        // ruleid: php.code-injection.tainted-code
        require_once "plugins/{$this->plugin}.php";
    }
}
