package com.example.repo;

import java.sql.*;
import java.util.List;
import javax.persistence.EntityManager;
import javax.persistence.criteria.CriteriaQuery;
import org.springframework.jdbc.core.JdbcTemplate;

public class UserRepository {
    private static final String FIND_ALL = "SELECT id, name FROM users";
    private static final String TABLE = "users";
    private Connection connection;
    private EntityManager em;
    private JdbcTemplate jdbcTemplate;

    public ResultSet findByName(String name) throws SQLException {
        Statement stmt = connection.createStatement();
        String sql = "SELECT * FROM users WHERE name = '" + name + "'";
        // ruleid: java.sql-injection.jdbc-statement
        return stmt.executeQuery(sql);
    }

    public void deleteUser(String id) throws SQLException {
        Statement statement = connection.createStatement();
        // ruleid: java.sql-injection.jdbc-statement
        statement.execute("DELETE FROM users WHERE id = " + id);
    }

    public void rename(String oldName, String newName) throws SQLException {
        String q = String.format("UPDATE users SET name='%s' WHERE name='%s'", newName, oldName);
        // ruleid: java.sql-injection.jdbc-statement
        connection.createStatement().executeUpdate(q);
    }

    public PreparedStatement search(String term) throws SQLException {
        StringBuilder sb = new StringBuilder("SELECT * FROM items WHERE title LIKE '%");
        sb.append(term).append("%'");
        // ruleid: java.sql-injection.jdbc-statement
        return connection.prepareStatement(sb.toString());
    }

    public ResultSet findById(int id) throws SQLException {
        String sql = "SELECT * FROM users WHERE id = ?";
        // ok: java.sql-injection.jdbc-statement
        PreparedStatement ps = connection.prepareStatement(sql);
        ps.setInt(1, id);
        // ok: java.sql-injection.jdbc-statement
        return ps.executeQuery();
    }

    public ResultSet all() throws SQLException {
        Statement st = connection.createStatement();
        // ok: java.sql-injection.jdbc-statement
        return st.executeQuery(FIND_ALL);
    }

    public int count() throws SQLException {
        // ok: java.sql-injection.jdbc-statement
        ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + TABLE + " WHERE active = 1");
        rs.next();
        return rs.getInt(1);
    }

    public void runLater(java.util.concurrent.Executor executor, Runnable task) {
        // ok: java.sql-injection.jdbc-statement
        executor.execute(task);
    }

    public List<?> jpqlByEmail(String email) {
        // ruleid: java.sql-injection.jpa-query
        return em.createQuery("SELECT u FROM User u WHERE u.email = '" + email + "'").getResultList();
    }

    public List<?> nativeByRole(String role) {
        String sql = "SELECT * FROM users WHERE role = '" + role + "'";
        // ruleid: java.sql-injection.jpa-query
        return em.createNativeQuery(sql).getResultList();
    }

    public List<?> jpqlSafe(String email) {
        // ok: java.sql-injection.jpa-query
        return em.createQuery("SELECT u FROM User u WHERE u.email = :email")
                .setParameter("email", email)
                .getResultList();
    }

    public List<?> criteria(CriteriaQuery<Object> criteriaQuery) {
        // ok: java.sql-injection.jpa-query
        return em.createQuery(criteriaQuery).getResultList();
    }

    public List<?> springByStatus(String status) {
        // ruleid: java.sql-injection.spring-jdbc-template
        return jdbcTemplate.queryForList("SELECT * FROM orders WHERE status = '" + status + "'");
    }

    public int springUpdate(String status, long id) {
        // ok: java.sql-injection.spring-jdbc-template
        return jdbcTemplate.update("UPDATE orders SET status = ? WHERE id = ?", status, id);
    }

    public List<?> springAll() {
        // ok: java.sql-injection.spring-jdbc-template
        return jdbcTemplate.queryForList(FIND_ALL);
    }
}

class OrderController {
    private Connection connection;
    private JdbcTemplate jdbcTemplate;
    private String sortColumn = "created_at";

    public ResultSet byCustomer(HttpServletRequest request) throws SQLException {
        Statement stmt = connection.createStatement();
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.jdbc-statement
        return stmt.executeQuery("SELECT * FROM orders WHERE customer = '" + request.getParameter("customer") + "'");
    }

    private String statusFilter(String status) {
        return " WHERE status = '" + status + "'";
    }

    private int purge(String where) throws SQLException {
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.jdbc-statement
        return connection.createStatement().executeUpdate("DELETE FROM orders" + where);
    }

    public ResultSet byStatus(HttpServletRequest request) throws SQLException {
        String status = request.getParameter("status");
        Statement stmt = connection.createStatement();
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.jdbc-statement
        return stmt.executeQuery("SELECT * FROM orders" + statusFilter(status));
    }

    public int purgeStatus(HttpServletRequest request) throws SQLException {
        return purge(" WHERE status = '" + request.getParameter("status") + "'");
    }

    public ResultSet search(HttpServletRequest request) throws SQLException {
        Map<String, String> criteria = new HashMap<>();
        criteria.put("region", request.getParameter("region"));
        criteria.put("order", "total");
        Statement stmt = connection.createStatement();
        String sql = "SELECT * FROM orders WHERE region = '" + criteria.get("region") + "'";
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.jdbc-statement
        stmt.executeQuery(sql);
        // ok: java.sql-injection.tainted-query; ruleid: java.sql-injection.jdbc-statement
        return stmt.executeQuery("SELECT * FROM orders ORDER BY " + criteria.get("order"));
    }

    public void export(HttpServletRequest request) throws SQLException {
        List<String> columns = new ArrayList<>();
        columns.add("id");
        columns.add(request.getParameter("column"));
        Statement stmt = connection.createStatement();
        // ok: java.sql-injection.tainted-query; ruleid: java.sql-injection.jdbc-statement
        stmt.executeQuery("SELECT " + columns.get(0) + " FROM orders");
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.jdbc-statement
        stmt.executeQuery("SELECT " + columns.get(1) + " FROM orders");
        String first = columns.remove(0);
        // ok: java.sql-injection.tainted-query; ruleid: java.sql-injection.jdbc-statement
        stmt.executeQuery("SELECT " + first + " FROM orders");
        String next = columns.remove(0);
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.jdbc-statement
        stmt.executeQuery("SELECT " + next + " FROM orders");
    }

    public ResultSet report(HttpServletRequest request) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM orders WHERE 1 = 1");
        String from = request.getParameter("from");
        if (from != null) {
            sql.append(" AND created_at >= '").append(from).append("'");
        }
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.jdbc-statement
        return connection.prepareStatement(sql.toString()).executeQuery();
    }

    public List<Map<String, Object>> byNote(@RequestParam("note") String note) {
        String sql = String.format("SELECT * FROM orders WHERE note LIKE '%%%s%%'", note);
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.spring-jdbc-template
        return jdbcTemplate.queryForList(sql);
    }

    public List<Map<String, Object>> byOwner(HttpServletRequest request) {
        String sql = "SELECT * FROM orders WHERE owner = '";
        sql += request.getHeader("X-User");
        sql += "'";
        // ruleid: java.sql-injection.tainted-query
        return jdbcTemplate.queryForList(sql);
    }

    public void rememberSort(HttpServletRequest request) {
        this.sortColumn = request.getParameter("sort");
    }

    public ResultSet sorted() throws SQLException {
        Statement stmt = connection.createStatement();
        // ruleid: java.sql-injection.tainted-query, java.sql-injection.jdbc-statement
        return stmt.executeQuery("SELECT * FROM orders ORDER BY " + this.sortColumn);
    }

    public ResultSet byId(HttpServletRequest request) throws SQLException {
        int id = Integer.parseInt(request.getParameter("id"));
        Statement stmt = connection.createStatement();
        // ok: java.sql-injection.tainted-query; ruleid: java.sql-injection.jdbc-statement
        return stmt.executeQuery("SELECT * FROM orders WHERE id = " + id);
    }

    public ResultSet recent(HttpServletRequest request) throws SQLException {
        String limit = request.getParameter("limit");
        limit = "50";
        Statement stmt = connection.createStatement();
        // ok: java.sql-injection.tainted-query
        return stmt.executeQuery("SELECT * FROM orders LIMIT " + limit);
    }

    public ResultSet legacy(HttpServletRequest request) throws SQLException {
        String table = "orders";
        if (false) {
            table = request.getParameter("table");
        }
        Statement stmt = connection.createStatement();
        // ok: java.sql-injection.tainted-query; ruleid: java.sql-injection.jdbc-statement
        return stmt.executeQuery("SELECT * FROM " + table);
    }

    public ResultSet byReference(HttpServletRequest request) throws SQLException {
        String ref = request.getParameter("ref");
        // ok: java.sql-injection.tainted-query
        PreparedStatement ps = connection.prepareStatement("SELECT * FROM orders WHERE ref = ?");
        ps.setString(1, ref);
        return ps.executeQuery();
    }

    public List<Map<String, Object>> byTag(@RequestParam String tag) {
        // ok: java.sql-injection.tainted-query
        return jdbcTemplate.queryForList("SELECT * FROM orders WHERE tag = ?", tag);
    }
}
