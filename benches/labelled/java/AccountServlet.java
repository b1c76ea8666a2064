package com.example.bank.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.sql.DataSource;

public class AccountServlet extends HttpServlet {
    private static final String ACCOUNT_TABLE = "accounts";
    private static final String OPEN_ONLY = "status = 'OPEN'";
    private DataSource dataSource;

    private String ownerClause(String owner) {
        return " WHERE owner = '" + owner + "'";
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String owner = req.getParameter("owner");
        String branch = req.getParameter("branch");
        int limit = Integer.parseInt(req.getParameter("limit"));
        try (Connection conn = dataSource.getConnection(); Statement st = conn.createStatement()) {
            // expect: CWE-89
            ResultSet rs = st.executeQuery("SELECT id, balance FROM accounts" + ownerClause(owner));
            // safe: CWE-89
            ResultSet rs2 = st.executeQuery("SELECT COUNT(*) FROM " + ACCOUNT_TABLE + " WHERE " + OPEN_ONLY);
            // safe: CWE-89
            ResultSet rs3 = st.executeQuery("SELECT id FROM accounts LIMIT " + limit);
            StringBuilder sb = new StringBuilder("SELECT id FROM accounts WHERE branch = '");
            sb.append(branch).append("'");
            // expect: CWE-89
            ResultSet rs4 = st.executeQuery(sb.toString());
            PreparedStatement ps = conn.prepareStatement("SELECT id FROM accounts WHERE branch = ?");
            ps.setString(1, branch);
            // safe: CWE-89
            ResultSet rs5 = ps.executeQuery();
            render(resp, owner, rs, rs2, rs3, rs4, rs5);
        } catch (SQLException e) {
            throw new ServletException(e);
        }
    }

    private void render(HttpServletResponse resp, String owner, ResultSet... sets) throws IOException {
        PrintWriter out = resp.getWriter();
        // expect: CWE-79
        out.println("<h1>Accounts of " + owner + "</h1>");
        String title = "Account overview";
        // safe: CWE-79
        out.println("<title>" + title + "</title>");
        out.println("<p>" + sets.length + " result sets</p>");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String next = req.getParameter("next");
        if (false) {
            // safe: CWE-601
            resp.sendRedirect(next);
        }
        String after = req.getParameter("after");
        // expect: CWE-601
        resp.sendRedirect(after);
    }
}
