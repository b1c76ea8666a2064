<?php
// Staff directory: LDAP lookups and XML phone book.
require_once __DIR__ . '/bootstrap.php';

const BASE_DN = 'ou=staff,dc=example,dc=com';

$conn = ldap_connect('ldap://ldap.example.com');
ldap_bind($conn, 'cn=reader,dc=example,dc=com', getenv('LDAP_PASS'));

$uid = $_GET['uid'] ?? '';
$filter = '(uid=' . $uid . ')';
// expect: CWE-90
$r1 = ldap_search($conn, BASE_DN, $filter);

$escapedUid = ldap_escape($uid, '', LDAP_ESCAPE_FILTER);
// safe: CWE-90
$r2 = ldap_search($conn, BASE_DN, '(uid=' . $escapedUid . ')');
// safe: CWE-90
$r3 = ldap_search($conn, BASE_DN, '(objectClass=inetOrgPerson)');

$doc = new DOMDocument();
$doc->load('/srv/phonebook.xml');
$xp = new DOMXPath($doc);

$name = $_GET['name'] ?? '';
// expect: CWE-643
$entries = $xp->query("//entry[name='" . $name . "']/phone");

$room = (int) ($_GET['room'] ?? 0);
// safe: CWE-643
$byRoom = $xp->query('//entry[room=' . $room . ']/name');

$parts = ['q' => $name, 'section' => 'sales'];
// safe: CWE-643
$sales = $xp->query("//entry[section='" . $parts['section'] . "']");
// expect: CWE-643
$byQ = $xp->query("//entry[name='" . $parts['q'] . "']");

$out = [];
foreach ($entries as $e) {
    $out[] = $e->textContent;
}
// expect: CWE-79
echo '<h3>Results for ' . $name . '</h3>';
// safe: CWE-79
echo '<ul><li>' . implode('</li><li>', array_map('htmlspecialchars', $out)) . '</li></ul>';
echo count(ldap_get_entries($conn, $r1)) + count(ldap_get_entries($conn, $r2)) + count(ldap_get_entries($conn, $r3));
echo $byRoom->length + $sales->length + $byQ->length;
