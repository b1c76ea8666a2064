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
    // ruleid: php.insecure-randomness.security-value, php.insecure-randomness.tainted-secret
    $token = base_convert((string) mt_rand(), 10, 36) . uniqid();
    // ok: php.insecure-randomness.security-value, php.insecure-randomness.tainted-secret
    $token = bin2hex(random_bytes(32));
    // ruleid: php.insecure-randomness.security-value, php.insecure-randomness.tainted-secret
    $_SESSION['csrf_token'] = substr(str_shuffle('abcdefghijklmnopqrstuvwxyz0123456789'), 0, 32);
    // ok: php.insecure-randomness.security-value, php.insecure-randomness.tainted-secret
    $delay = mt_rand(100, 500);
    // ok: php.insecure-randomness.security-value, php.insecure-randomness.tainted-secret
    $user->password = password_hash(random_int(100000, 999999), PASSWORD_DEFAULT);
    return $token;
}

// Taint: predictable values judged by where they go.
function randomCode($length)
{
    $chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    $code = '';
    for ($i = 0; $i < $length; $i++) {
        $code .= $chars[mt_rand(0, strlen($chars) - 1)];
    }
    return $code;
}

function rememberLogin($user)
{
    // ruleid: php.weak-hash.md5-sha1
    $series = md5(uniqid((string) mt_rand(), true));
    // ruleid: php.insecure-randomness.tainted-secret
    setcookie('remember_me', $user->id . ':' . $series, time() + 86400 * 30, '/', '', true, true);
    // ruleid: php.insecure-randomness.tainted-secret
    $_SESSION['mfa_challenge'] = randomCode(6);
    $pool = range(1, 9);
    shuffle($pool);
    $pin = implode('', array_slice($pool, 0, 4));
    // ruleid: php.insecure-randomness.tainted-secret
    $user->setPassword(password_hash($pin, PASSWORD_DEFAULT));
}

function sendResetLink($user, $mailer)
{
    $code = randomCode(24);
    $link = sprintf('https://example.com/reset?code=%s&u=%d', $code, $user->id);
    $mailer->send($user->email, 'Reset your password: ' . $link);
    // ruleid: php.insecure-randomness.tainted-secret
    $user->reset_code = $code;
}

function signWebhook($payload)
{
    $key = str_shuffle(str_repeat('0123456789abcdef', 4));
    // ruleid: php.insecure-randomness.tainted-secret
    $signature = hash_hmac('sha256', $payload, $key);
    return [
        'payload' => $payload,
        'signature' => $signature,
        // ruleid: php.insecure-randomness.tainted-secret, php.insecure-randomness.security-value
        'nonce' => dechex(mt_rand()),
    ];
}

function secureLogin($user)
{
    $series = bin2hex(random_bytes(16));
    // ok: php.insecure-randomness.tainted-secret
    setcookie('remember_me', $user->id . ':' . $series, time() + 86400 * 30, '/', '', true, true);
    // ok: php.insecure-randomness.tainted-secret
    $_SESSION['mfa_challenge'] = (string) random_int(100000, 999999);
}

function renderBanner($attempt)
{
    $banners = ['Welcome back', 'New: dark mode', 'Invite a friend'];
    usleep(100000 * $attempt + mt_rand(0, 50000));
    $banner = $banners[array_rand($banners)];
    // ok: php.insecure-randomness.tainted-secret
    echo '<p class="banner">' . htmlspecialchars($banner) . '</p>';
    $visitor = uniqid('v', true);
    $visitor = 'anonymous';
    // ok: php.insecure-randomness.tainted-secret
    setcookie('visitor', $visitor, 0, '/', '', true, true);
    $legacy = false;
    $sid = '';
    if ($legacy) {
        // ruleid: php.weak-hash.md5-sha1
        $sid = md5(rand());
    }
    // ok: php.insecure-randomness.tainted-secret
    $_SESSION['sid'] = $sid;
    // ok: php.insecure-randomness.tainted-secret
    $tokenLength = 16 + mt_rand(0, 16);
    return $tokenLength;
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
