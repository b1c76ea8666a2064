package com.example.directory.web;

import java.io.IOException;
import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

public class DirectoryServlet extends HttpServlet {
    private static final String BASE_DN = "ou=people,dc=example,dc=com";
    private Document roster;

    private InitialDirContext ctx() throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, "ldap://ldap.example.com:389");
        return new InitialDirContext(env);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String uid = req.getParameter("uid");
        String dept = req.getParameter("dept");
        try {
            InitialDirContext dc = ctx();
            SearchControls sc = new SearchControls();
            String filter = "(&(objectClass=person)(uid=" + uid + "))";
            // expect: CWE-90
            NamingEnumeration<SearchResult> r1 = dc.search(BASE_DN, filter, sc);
            // safe: CWE-90
            NamingEnumeration<SearchResult> r2 = dc.search(BASE_DN, "(&(objectClass=person)(uid={0}))", new Object[] {uid}, sc);
            // safe: CWE-90
            NamingEnumeration<SearchResult> r3 = dc.search(BASE_DN, "(objectClass=person)", sc);

            XPath xp = XPathFactory.newInstance().newXPath();
            // expect: CWE-643
            NodeList n1 = (NodeList) xp.evaluate("//member[@dept='" + dept + "']", roster, XPathConstants.NODESET);
            int floor = Integer.parseInt(req.getParameter("floor"));
            // safe: CWE-643
            NodeList n2 = (NodeList) xp.evaluate("//member[@floor=" + floor + "]", roster, XPathConstants.NODESET);
            String[] depts = {dept, "engineering"};
            // safe: CWE-643
            NodeList n3 = (NodeList) xp.evaluate("//member[@dept='" + depts[1] + "']", roster, XPathConstants.NODESET);
            // expect: CWE-643
            NodeList n4 = (NodeList) xp.evaluate("//member[@dept='" + depts[0] + "']", roster, XPathConstants.NODESET);
            // expect: CWE-79
            resp.getWriter().write("<p>Results for " + uid + ": " + n1.getLength() + n2.getLength() + n3.getLength() + n4.getLength() + "</p>");
            r1.close();
            r2.close();
            r3.close();
        } catch (NamingException | XPathExpressionException e) {
            throw new ServletException(e);
        }
    }
}
