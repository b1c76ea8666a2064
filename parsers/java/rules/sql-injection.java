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
