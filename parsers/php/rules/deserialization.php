<?php

function restoreCart()
{
    // ruleid: php.deserialization.unserialize, php.deserialization.tainted-unserialize
    $cart = unserialize(base64_decode($_COOKIE['cart']));
    // ok: php.deserialization.unserialize
    $cart2 = unserialize(base64_decode($_COOKIE['cart']), ['allowed_classes' => false]);
    // ok: php.deserialization.unserialize
    $cart3 = json_decode($_COOKIE['cart'], true);
    return [$cart, $cart2, $cart3];
}

function loadCache($redis, $key)
{
    $blob = $redis->get($key);
    // ruleid: php.deserialization.unserialize
    return unserialize($blob);
}

function defaults()
{
    $raw = 'a:1:{s:4:"mode";s:4:"fast";}';
    // ok: php.deserialization.unserialize
    return unserialize($raw);
}

// Flows from the request to unserialize().
function session()
{
    $raw = $_COOKIE['prefs'];
    // ruleid: php.deserialization.tainted-unserialize, php.deserialization.unserialize
    $prefs = unserialize(base64_decode($raw));

    $payload = ['state' => file_get_contents('php://input'), 'version' => 'a:0:{}'];
    // ruleid: php.deserialization.tainted-unserialize, php.deserialization.unserialize
    $state = unserialize($payload['state']);
    // ok: php.deserialization.tainted-unserialize, ruleid: php.deserialization.unserialize
    $version = unserialize($payload['version']);

    $blobs = [];
    $blobs[] = 'a:0:{}';
    $blobs[] = $_POST['blob'];
    // ruleid: php.deserialization.tainted-unserialize, php.deserialization.unserialize
    $b = unserialize($blobs[1]);
    // ok: php.deserialization.tainted-unserialize, ruleid: php.deserialization.unserialize
    $a = unserialize($blobs[0]);

    $cart = $_COOKIE['cart'];
    $cart = 'a:0:{}';
    // ok: php.deserialization.tainted-unserialize
    $empty = unserialize($cart);

    $legacy = $_COOKIE['legacy'];
    if (false) {
        // ok: php.deserialization.tainted-unserialize, ruleid: php.deserialization.unserialize
        $old = unserialize($legacy);
    }

    // ok: php.deserialization.tainted-unserialize
    $opts = unserialize($_COOKIE['opts'], ['allowed_classes' => false]);
    // ok: php.deserialization.tainted-unserialize
    $decoded = json_decode($_COOKIE['opts'], true);
    return [$prefs, $state, $version, $b, $a, $empty, $opts, $decoded];
}

function decodeState($blob)
{
    return base64_decode(strrev($blob));
}

class StateStore
{
    private $blob;

    public function receive()
    {
        $this->blob = $_POST['state'];
    }

    public function restore()
    {
        // ruleid: php.deserialization.tainted-unserialize, php.deserialization.unserialize
        $x = unserialize(decodeState($_POST['state']));
        // ruleid: php.deserialization.tainted-unserialize, php.deserialization.unserialize
        return [$x, unserialize($this->blob)];
    }
}
