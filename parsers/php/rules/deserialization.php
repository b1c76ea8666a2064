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
