package com.example.web;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.apache.commons.io.FilenameUtils;
import org.apache.http.client.methods.HttpGet;
import org.owasp.encoder.Encode;
import org.springframework.web.client.RestTemplate;
import org.w3c.dom.Document;

public class PortalController {
    private static final String UPLOAD_DIR = "/var/app/uploads/";
    private static final String STATUS_URL = "https://status.example.com/api/health";
    private final RestTemplate restTemplate = new RestTemplate();
    private final String apiBase = "https://api.example.com";
    private DirContext ctx;

    public void greet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        PrintWriter out = response.getWriter();
        // ruleid: java.xss.servlet-response-writer
        out.println("<h1>Hello, " + name + "</h1>");
        // ruleid: java.xss.servlet-response-writer
        response.getWriter().write(request.getParameter("q"));
        // ok: java.xss.servlet-response-writer
        out.println("<h1>Hello, " + Encode.forHtml(name) + "</h1>");
        // ok: java.xss.servlet-response-writer
        out.println("<p>Welcome</p>");
        // ok: java.xss.servlet-response-writer
        out.println(name.length());
    }

    public InputStream download(HttpServletRequest request) throws IOException {
        String fileName = request.getParameter("file");
        // ruleid: java.path-traversal.file-path-from-input
        return new FileInputStream(UPLOAD_DIR + fileName);
    }

    public File upload(org.springframework.web.multipart.MultipartFile file) {
        // ruleid: java.path-traversal.file-path-from-input
        return new File(UPLOAD_DIR, file.getOriginalFilename());
    }

    public byte[] readReport(HttpServletRequest request) throws IOException {
        // ruleid: java.path-traversal.file-path-from-input
        Path p = Paths.get("/srv/reports", request.getParameter("report"));
        return Files.readAllBytes(p);
    }

    public File safeUpload(org.springframework.web.multipart.MultipartFile file) {
        // ok: java.path-traversal.file-path-from-input
        return new File(UPLOAD_DIR, FilenameUtils.getName(file.getOriginalFilename()));
    }

    public File config() {
        // ok: java.path-traversal.file-path-from-input
        return new File(UPLOAD_DIR + File.separator + "index.json");
    }

    public File tempFile() {
        // ok: java.path-traversal.file-path-from-input
        return new File(System.getProperty("java.io.tmpdir") + "/cache.bin");
    }

    public InputStream fetch(HttpServletRequest request) throws IOException {
        String target = request.getParameter("url");
        // ruleid: java.ssrf.http-client-url
        return new URL(target).openStream();
    }

    public String proxy(String url) {
        // ruleid: java.ssrf.http-client-url
        return restTemplate.getForObject(url, String.class);
    }

    public HttpGet preview(HttpServletRequest request) {
        // ruleid: java.ssrf.http-client-url
        return new HttpGet(request.getParameter("link"));
    }

    public String health() {
        // ok: java.ssrf.http-client-url
        return restTemplate.getForObject(STATUS_URL, String.class);
    }

    public String user(String id) {
        // ok: java.ssrf.http-client-url
        return restTemplate.getForObject("https://api.example.com/users/" + id, String.class);
    }

    public String order(String id) {
        // ok: java.ssrf.http-client-url
        return restTemplate.getForObject(this.apiBase + "/orders/" + id, String.class);
    }

    public void afterLogin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next = request.getParameter("next");
        // ruleid: java.open-redirect.redirect-to-input
        response.sendRedirect(next);
    }

    public void home(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // ok: java.open-redirect.redirect-to-input
        response.sendRedirect(request.getContextPath() + "/dashboard");
    }

    public void item(HttpServletResponse response, long id) throws IOException {
        // ok: java.open-redirect.redirect-to-input
        response.sendRedirect("/items/view?id=" + id);
    }

    public void login(HttpServletResponse response) throws IOException {
        // ok: java.open-redirect.redirect-to-input
        response.sendRedirect("/login");
    }

    public String springRedirect(String returnUrl) {
        // ruleid: java.open-redirect.redirect-to-input
        return "redirect:" + returnUrl;
    }

    public String springSafeRedirect(long id) {
        // ok: java.open-redirect.redirect-to-input
        return "redirect:/orders/" + id;
    }

    public Object findUser(String username) throws Exception {
        SearchControls controls = new SearchControls();
        String filter = "(&(objectClass=person)(uid=" + username + "))";
        // ruleid: java.ldap-injection.search-filter
        return ctx.search("ou=people,dc=example,dc=com", filter, controls);
    }

    public Object findUserSafe(String username) throws Exception {
        SearchControls controls = new SearchControls();
        // ok: java.ldap-injection.search-filter
        return ctx.search("ou=people,dc=example,dc=com", "(&(objectClass=person)(uid={0}))", new Object[] {username}, controls);
    }

    public Object lookupAttrs(javax.naming.directory.Attributes attrs) throws Exception {
        // ok: java.ldap-injection.search-filter
        return ctx.search("ou=people,dc=example,dc=com", attrs);
    }

    public String role(Document doc, String user) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        String expr = "/users/user[@name='" + user + "']/role/text()";
        // ruleid: java.xpath-injection.dynamic-expression
        return xpath.evaluate(expr, doc);
    }

    public String firstRole(Document doc) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        // ok: java.xpath-injection.dynamic-expression
        return xpath.evaluate("/users/user[1]/role/text()", doc);
    }

    public Object dom4j(org.dom4j.Document doc, String id) {
        // ruleid: java.xpath-injection.dynamic-expression
        return doc.selectSingleNode("//order[@id='" + id + "']");
    }

    public java.util.regex.Pattern regex(String p) {
        // ok: java.xpath-injection.dynamic-expression
        return java.util.regex.Pattern.compile(p);
    }
}
