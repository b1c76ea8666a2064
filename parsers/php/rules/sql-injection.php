<?php

function findUser(mysqli $conn, $id)
{
    // ruleid: php.sql-injection.non-literal-query
    $result = mysqli_query($conn, "SELECT * FROM users WHERE id = $id");
    // ok: php.sql-injection.non-literal-query
    $all = mysqli_query($conn, "SELECT * FROM users");
    // ok: php.sql-injection.non-literal-query
    $safe = mysqli_query($conn, "SELECT * FROM users WHERE id = " . intval($id));
    return [$result, $all, $safe];
}

class UserRepository
{
    private $pdo;

    public function search($name)
    {
        $sql = "SELECT * FROM users WHERE name LIKE '%" . $name . "%'";
        // ruleid: php.sql-injection.non-literal-query
        return $this->pdo->query($sql)->fetchAll();
    }

    public function searchPrepared($name)
    {
        $sql = "SELECT * FROM users WHERE name LIKE ?";
        $stmt = $this->pdo->prepare($sql);
        $stmt->execute(['%' . $name . '%']);
        // ok: php.sql-injection.non-literal-query
        $count = $this->pdo->query("SELECT COUNT(*) FROM users");
        return $stmt->fetchAll();
    }

    public function deleteByEmail($email)
    {
        // ruleid: php.sql-injection.non-literal-query
        $this->pdo->exec("DELETE FROM users WHERE email = '{$email}'");
        // ok: php.sql-injection.non-literal-query
        $this->pdo->exec("DELETE FROM users WHERE email = " . $this->pdo->quote($email));
    }
}

function recentPosts($wpdb)
{
    // ruleid: php.sql-injection.non-literal-query
    $rows = $wpdb->get_results("SELECT * FROM {$wpdb->posts} WHERE post_author = " . $_GET['author']);
    // ok: php.sql-injection.non-literal-query
    $rows2 = $wpdb->get_results($wpdb->prepare("SELECT * FROM {$wpdb->posts} WHERE post_author = %d", $_GET['author']));
    return [$rows, $rows2];
}

function eloquent($request)
{
    // ruleid: php.sql-injection.non-literal-query
    $users = DB::select("SELECT * FROM users WHERE status = '" . $request->input('status') . "'");
    // ok: php.sql-injection.non-literal-query
    $active = DB::select('SELECT * FROM users WHERE status = ?', [$request->input('status')]);
    // ruleid: php.sql-injection.non-literal-query
    $sorted = User::query()->orderByRaw($request->input('sort'))->get();
    // ok: php.sql-injection.non-literal-query
    $nodes = $xpath->query("//user[@id='1']");
    return [$users, $active, $sorted, $nodes];
}
