<?php
// Product catalogue endpoints (plain PHP).
require_once __DIR__ . '/bootstrap.php';

const PRODUCT_TABLE = 'products';
const VISIBLE_ONLY = 'visible = 1';

$pdo = new PDO('mysql:host=db;dbname=shop', 'app', getenv('DB_PASS'));
$mysqli = new mysqli('db', 'app', getenv('DB_PASS'), 'shop');

function category_clause($cat)
{
    return " WHERE category = '" . $cat . "'";
}

$action = $_GET['action'] ?? 'list';

if ($action === 'list') {
    $cat = $_GET['category'];
    // expect: CWE-89
    $rows = $pdo->query('SELECT id, name FROM products' . category_clause($cat));
    // safe: CWE-89
    $count = $pdo->query('SELECT COUNT(*) FROM ' . PRODUCT_TABLE . ' WHERE ' . VISIBLE_ONLY);
    $stmt = $pdo->prepare('SELECT id FROM products WHERE category = ?');
    // safe: CWE-89
    $stmt->execute([$cat]);
} elseif ($action === 'show') {
    $id = (int) $_GET['id'];
    // safe: CWE-89
    $res = $mysqli->query("SELECT * FROM products WHERE id = $id");
    $name = $_GET['name'];
    // expect: CWE-89
    $res2 = mysqli_query($mysqli, "SELECT * FROM products WHERE name = '$name'");
    $escaped = mysqli_real_escape_string($mysqli, $name);
    // safe: CWE-89
    $res3 = mysqli_query($mysqli, "SELECT * FROM products WHERE name = '$escaped'");
} elseif ($action === 'title') {
    $title = $_GET['title'];
    // expect: CWE-79
    echo '<h1>' . $title . '</h1>';
    // safe: CWE-79
    echo '<h2>' . htmlspecialchars($title, ENT_QUOTES, 'UTF-8') . '</h2>';
} elseif ($action === 'image') {
    $img = $_GET['img'];
    // expect: CWE-22
    readfile('/var/www/images/' . $img);
    // safe: CWE-22
    readfile('/var/www/images/' . basename($img));
} elseif ($action === 'back') {
    $ret = $_GET['return'];
    // expect: CWE-601
    header('Location: ' . $ret);
    exit;
} else {
    // safe: CWE-601
    header('Location: /products.php?action=list');
    exit;
}
