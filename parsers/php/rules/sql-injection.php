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
    // ruleid: php.sql-injection.non-literal-query, php.sql-injection.tainted-query
    $rows = $wpdb->get_results("SELECT * FROM {$wpdb->posts} WHERE post_author = " . $_GET['author']);
    // ok: php.sql-injection.non-literal-query
    $rows2 = $wpdb->get_results($wpdb->prepare("SELECT * FROM {$wpdb->posts} WHERE post_author = %d", $_GET['author']));
    return [$rows, $rows2];
}

function eloquent($request)
{
    // ruleid: php.sql-injection.non-literal-query, php.sql-injection.tainted-query
    $users = DB::select("SELECT * FROM users WHERE status = '" . $request->input('status') . "'");
    // ok: php.sql-injection.non-literal-query
    $active = DB::select('SELECT * FROM users WHERE status = ?', [$request->input('status')]);
    // ruleid: php.sql-injection.non-literal-query, php.sql-injection.tainted-query
    $sorted = User::query()->orderByRaw($request->input('sort'))->get();
    // ok: php.sql-injection.non-literal-query
    $nodes = $xpath->query("//user[@id='1']");
    return [$users, $active, $sorted, $nodes];
}

// Flows from the request to the query text, followed through the handler.
function orderLookup(PDO $pdo, mysqli $db)
{
    $id = $_GET['id'];
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    $pdo->query("SELECT * FROM orders WHERE id = " . $id);

    $filters = ['status' => $_POST['status'], 'kind' => 'retail'];
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    mysqli_query($db, "SELECT * FROM orders WHERE status = '{$filters['status']}'");
    // ok: php.sql-injection.tainted-query, ruleid: php.sql-injection.non-literal-query
    mysqli_query($db, "SELECT * FROM orders WHERE kind = '{$filters['kind']}'");

    $columns = [];
    $columns[] = 'created_at';
    $columns[] = $_GET['sort'];
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    $pdo->query('SELECT * FROM orders ORDER BY ' . $columns[1]);
    // ok: php.sql-injection.tainted-query, ruleid: php.sql-injection.non-literal-query
    $pdo->query('SELECT * FROM orders ORDER BY ' . $columns[0]);

    $where = sprintf("customer = '%s'", $_REQUEST['customer']);
    $sql = 'SELECT * FROM orders';
    $sql .= ' WHERE ' . $where;
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    $pdo->exec($sql);

    $limit = (int) $_GET['limit'];
    // ok: php.sql-injection.tainted-query, ruleid: php.sql-injection.non-literal-query
    $pdo->query("SELECT * FROM orders LIMIT $limit");

    $name = $db->real_escape_string($_GET['name']);
    // ok: php.sql-injection.tainted-query, ruleid: php.sql-injection.non-literal-query
    $db->query("SELECT * FROM orders WHERE name = '$name'");

    $region = $_GET['region'];
    $region = 'eu';
    // ok: php.sql-injection.tainted-query, ruleid: php.sql-injection.non-literal-query
    $pdo->query("SELECT * FROM orders WHERE region = '$region'");

    $debug = $_GET['debug'];
    if (false) {
        // ok: php.sql-injection.tainted-query, ruleid: php.sql-injection.non-literal-query
        $pdo->query("SELECT * FROM logs WHERE tag = '$debug'");
    }

    $stmt = $pdo->prepare('SELECT * FROM orders WHERE id = ?');
    // ok: php.sql-injection.tainted-query
    $stmt->execute([$_GET['id']]);
    return $stmt->fetchAll();
}

function orderFilter($value)
{
    return "note LIKE '%" . trim($value) . "%'";
}

function searchOrders(PDO $pdo)
{
    $clause = orderFilter($_GET['q']);
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    return $pdo->query("SELECT * FROM orders WHERE " . $clause);
}

class ReportController
{
    private $pdo;
    private $period;

    public function __construct(PDO $pdo)
    {
        $this->pdo = $pdo;
    }

    public function setPeriod()
    {
        $this->period = $_GET['period'];
    }

    public function render()
    {
        // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
        return $this->pdo->query("SELECT * FROM reports WHERE period = '{$this->period}'");
    }

    public function renderPrepared()
    {
        $stmt = $this->pdo->prepare('SELECT * FROM reports WHERE period = :p');
        // ok: php.sql-injection.tainted-query
        $stmt->bindValue(':p', $this->period);
        return $stmt->execute();
    }
}

function laravelSearch($request)
{
    $term = $request->input('term');
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    return DB::select("SELECT * FROM products WHERE name LIKE '%$term%'");
}

function archiveSearch(PDO $pdo)
{
    $term = $_GET['term'] ?: 'all';
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    $pdo->query("SELECT * FROM archive WHERE term = '$term'");

    $params = [];
    $params['term'] = $_GET['term'];
    $params['year'] = '2024';
    // ok: php.sql-injection.tainted-query, ruleid: php.sql-injection.non-literal-query
    $pdo->query("SELECT * FROM archive WHERE year = {$params['year']}");
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    $pdo->query("SELECT * FROM archive WHERE term = '{$params['term']}'");
}

function pagedList(PDO $pdo)
{
    $_GET['page'] = $_GET['page'] ?? '1';
    // ruleid: php.sql-injection.tainted-query, php.sql-injection.non-literal-query
    $pdo->query("SELECT * FROM items WHERE owner = '{$_GET['owner']}'");
}
