<?php

function legacyPasswordHash($password)
{
    // ruleid: php.weak-hash.md5-sha1
    return md5($password);
}

function apiSignature($payload)
{
    // ruleid: php.weak-hash.md5-sha1
    $sig = hash('sha1', $payload);
    // ok: php.weak-hash.md5-sha1
    $sig2 = hash('sha256', $payload);
    // ok: php.weak-hash.md5-sha1
    $hash = password_hash($payload, PASSWORD_DEFAULT);
    // ruleid: php.weak-hash.md5-sha1
    $fp = sha1($payload . SALT);
    return [$sig, $sig2, $hash, $fp];
}

function encryptCard($data, $key, $iv)
{
    // ruleid: php.weak-cipher.des-rc4-ecb
    $enc = openssl_encrypt($data, 'des-ede3-cbc', $key, 0, $iv);
    // ruleid: php.weak-cipher.des-rc4-ecb
    $ecb = openssl_encrypt($data, 'AES-128-ECB', $key);
    // ok: php.weak-cipher.des-rc4-ecb
    $gcm = openssl_encrypt($data, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $iv, $tag);
    // ruleid: php.weak-cipher.des-rc4-ecb
    $old = mcrypt_encrypt(MCRYPT_RIJNDAEL_128, $key, $data, MCRYPT_MODE_ECB);
    // ok: php.weak-cipher.des-rc4-ecb
    $cbc = mcrypt_encrypt(MCRYPT_RIJNDAEL_128, $key, $data, MCRYPT_MODE_CBC, $iv);
    return [$enc, $ecb, $gcm, $old, $cbc];
}

function issueResetToken($user)
{
    // ruleid: php.insecure-randomness.security-value
    $token = base_convert((string) mt_rand(), 10, 36) . uniqid();
    // ok: php.insecure-randomness.security-value
    $token = bin2hex(random_bytes(32));
    // ruleid: php.insecure-randomness.security-value
    $_SESSION['csrf_token'] = substr(str_shuffle('abcdefghijklmnopqrstuvwxyz0123456789'), 0, 32);
    // ok: php.insecure-randomness.security-value
    $delay = mt_rand(100, 500);
    // ok: php.insecure-randomness.security-value
    $user->password = password_hash(random_int(100000, 999999), PASSWORD_DEFAULT);
    return $token;
}

class Config
{
    // ruleid: php.hardcoded-credentials.secret-literal
    const API_KEY = 'sk_live_51HqLyjWDarjtT1zdp7dc';
    // ok: php.hardcoded-credentials.secret-literal
    const PASSWORD_MIN_LENGTH = 12;
    // ruleid: php.hardcoded-credentials.secret-literal
    private $dbPassword = 'Pr0d-DB-2023!';
    // ok: php.hardcoded-credentials.secret-literal
    private $password = '';

    public function connect()
    {
        // ruleid: php.hardcoded-credentials.secret-literal
        $pdo = new PDO('mysql:host=db;dbname=shop', 'shop', 'hunter2-shop');
        // ok: php.hardcoded-credentials.secret-literal
        $pdo2 = new PDO(getenv('DB_DSN'), getenv('DB_USER'), getenv('DB_PASSWORD'));
        // ok: php.hardcoded-credentials.secret-literal
        $secret = getenv('APP_SECRET');
        return [$pdo, $pdo2, $secret];
    }
}

// ruleid: php.hardcoded-credentials.secret-literal
define('DB_PASSWORD', 's3cr3t-pass');

return [
    'username' => 'admin',
    // ruleid: php.hardcoded-credentials.secret-literal
    'password' => 'admin123!',
    // ok: php.hardcoded-credentials.secret-literal
    'api_key' => env('MAILGUN_API_KEY'),
];

// Names restated as values are keys of a form, not secrets.
$fields = [
    // ok: php.hardcoded-credentials.secret-literal
    'api_key' => 'apiKey',
    // ruleid: php.hardcoded-credentials.secret-literal
    'api_key' => 'a8f5f167f44f4964e6c998dee827110c',
];
