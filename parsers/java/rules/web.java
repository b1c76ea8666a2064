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
        // ruleid: java.xss.servlet-response-writer, java.xss.tainted-response
        out.println("<h1>Hello, " + name + "</h1>");
        // ruleid: java.xss.servlet-response-writer, java.xss.tainted-response
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
        // ruleid: java.path-traversal.file-path-from-input, java.path-traversal.tainted-path
        return new FileInputStream(UPLOAD_DIR + fileName);
    }

    public File upload(org.springframework.web.multipart.MultipartFile file) {
        // ruleid: java.path-traversal.file-path-from-input, java.path-traversal.tainted-path
        return new File(UPLOAD_DIR, file.getOriginalFilename());
    }

    public byte[] readReport(HttpServletRequest request) throws IOException {
        // ruleid: java.path-traversal.file-path-from-input
        Path p = Paths.get("/srv/reports", request.getParameter("report"));
        // ruleid: java.path-traversal.tainted-path
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
        // ruleid: java.ssrf.http-client-url, java.ssrf.tainted-url
        return new URL(target).openStream();
    }

    public String proxy(String url) {
        // ruleid: java.ssrf.http-client-url
        return restTemplate.getForObject(url, String.class);
    }

    public HttpGet preview(HttpServletRequest request) {
        // ruleid: java.ssrf.http-client-url, java.ssrf.tainted-url
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
        // ruleid: java.open-redirect.redirect-to-input, java.open-redirect.tainted-redirect
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

class AccountServlet extends javax.servlet.http.HttpServlet {
    private static final String BASE = "/var/app/files/";
    private final RestTemplate rest = new RestTemplate();
    private DirContext ldap;
    private XPath xpath = XPathFactory.newInstance().newXPath();
    private Document users;
    private String displayName = "guest";
    private String avatarPath = "default.png";
    private String callbackUrl = "https://hooks.example.com/ping";
    private String returnTo = "/home";
    private String group = "staff";
    private String role = "user";

    // Cross-site scripting

    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // ruleid: java.xss.tainted-response, java.xss.servlet-response-writer
        response.getWriter().println("<p>Results for " + request.getParameter("q") + "</p>");
    }

    private String banner(String title) {
        return "<h1>" + title + "</h1>";
    }

    public void profile(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String title = request.getParameter("title");
        PrintWriter out = response.getWriter();
        // ruleid: java.xss.tainted-response
        out.print(banner(title));
        // ok: java.xss.tainted-response
        out.print(banner(Encode.forHtml(title)));
        // ok: java.xss.tainted-response
        out.print(banner("Profile"));
    }

    public void card(HttpServletRequest request, HttpServletResponse response) throws IOException {
        java.util.Map<String, String> model = new java.util.HashMap<>();
        model.put("name", request.getParameter("name"));
        model.put("site", "Example");
        // ok: java.xss.tainted-response; ruleid: java.xss.servlet-response-writer
        response.getWriter().write("<footer>" + model.get("site") + "</footer>");
        // ruleid: java.xss.tainted-response, java.xss.servlet-response-writer
        response.getWriter().write("<b>" + model.get("name") + "</b>");
    }

    public void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        java.util.List<String> items = new java.util.ArrayList<>();
        items.add("<li>home</li>");
        items.add("<li>" + request.getParameter("item") + "</li>");
        PrintWriter writer = response.getWriter();
        // ok: java.xss.tainted-response
        writer.write(items.get(0));
        // ruleid: java.xss.tainted-response
        writer.write(items.get(1));
    }

    public void table(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder html = new StringBuilder("<table>");
        for (String v : request.getParameterValues("v")) {
            html.append("<tr><td>").append(v).append("</td></tr>");
        }
        html.append("</table>");
        // ruleid: java.xss.tainted-response
        response.getWriter().printf("%s", html.toString());
    }

    public void rename(@org.springframework.web.bind.annotation.RequestParam("display") String display) {
        this.displayName = display;
    }

    public void hello(HttpServletResponse response) throws IOException {
        // ruleid: java.xss.tainted-response
        response.getWriter().format("<p>Hello %s</p>", this.displayName);
    }

    public void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int n = Integer.parseInt(request.getParameter("page"));
        String note = request.getParameter("note");
        note = "Welcome back";
        String debug = "";
        if (false) {
            debug = request.getQueryString();
        }
        PrintWriter out = response.getWriter();
        // ok: java.xss.tainted-response; ruleid: java.xss.servlet-response-writer
        out.println("<p>Page " + n + "</p>");
        // ok: java.xss.tainted-response; ruleid: java.xss.servlet-response-writer
        out.println("<p>" + note + debug + "</p>");
        // ok: java.xss.tainted-response
        System.out.println("page requested: " + request.getParameter("page"));
        // ok: java.xss.tainted-response; ruleid: java.xss.servlet-response-writer
        out.println("<td>" + HtmlFilter.filter(request.getParameter("comment")) + "</td>");
    }

    // Path traversal

    public java.io.InputStream attachment(HttpServletRequest request) throws IOException {
        // ruleid: java.path-traversal.tainted-path, java.path-traversal.file-path-from-input
        return new FileInputStream(BASE + request.getParameter("name"));
    }

    private byte[] read(String relative) throws IOException {
        // ruleid: java.path-traversal.tainted-path
        return Files.readAllBytes(Paths.get(BASE).resolve(relative));
    }

    public byte[] document(HttpServletRequest request) throws IOException {
        return read(request.getParameter("doc"));
    }

    public byte[] export(HttpServletRequest request) throws IOException {
        java.util.Map<String, String> req = new java.util.HashMap<>();
        req.put("file", request.getParameter("file"));
        req.put("format", "csv");
        // ok: java.path-traversal.tainted-path; ruleid: java.path-traversal.file-path-from-input
        Files.readAllBytes(Paths.get(BASE, "export." + req.get("format")));
        // ruleid: java.path-traversal.tainted-path
        return Files.readAllBytes(Paths.get(BASE, req.get("file")));
    }

    public void cleanup(HttpServletRequest request) throws IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add("tmp.lock");
        names.add(request.getParameter("name"));
        // ok: java.path-traversal.tainted-path; ruleid: java.path-traversal.file-path-from-input
        Files.deleteIfExists(Paths.get(BASE + names.get(0)));
        // ruleid: java.path-traversal.tainted-path, java.path-traversal.file-path-from-input
        Files.deleteIfExists(Paths.get(BASE + names.get(1)));
    }

    public void saveAvatar(javax.servlet.http.Part part) throws IOException {
        this.avatarPath = String.format("%s/avatars/%s", BASE, part.getSubmittedFileName());
    }

    public byte[] avatar() throws IOException {
        // ruleid: java.path-traversal.tainted-path
        return Files.readAllBytes(Paths.get(this.avatarPath));
    }

    public void store(@org.springframework.web.bind.annotation.RequestParam("file") org.springframework.web.multipart.MultipartFile upload, HttpServletRequest request) throws IOException {
        // ok: java.path-traversal.tainted-path
        upload.transferTo(new File(BASE, FilenameUtils.getName(request.getParameter("name"))));
        String dir = request.getParameter("dir");
        dir = "incoming";
        // ok: java.path-traversal.tainted-path; ruleid: java.path-traversal.file-path-from-input
        upload.transferTo(new File(BASE + dir, "upload.bin"));
        String sub = "public";
        if (false) {
            sub = request.getParameter("sub");
        }
        // ok: java.path-traversal.tainted-path
        Files.createDirectories(Paths.get(BASE, sub));
    }

    // Server-side request forgery

    public String preview(HttpServletRequest request) {
        // ruleid: java.ssrf.tainted-url, java.ssrf.http-client-url
        return rest.getForObject(request.getParameter("url"), String.class);
    }

    private java.io.InputStream open(String address) throws IOException {
        URL url = new URL(address);
        // ruleid: java.ssrf.tainted-url
        return url.openStream();
    }

    public java.io.InputStream image(HttpServletRequest request) throws IOException {
        return open("http://" + request.getHeader("X-Image-Host") + "/img.png");
    }

    public String lookup(HttpServletRequest request) {
        java.util.Map<String, String> q = new java.util.HashMap<>();
        q.put("host", request.getParameter("host"));
        q.put("path", "/status");
        // ok: java.ssrf.tainted-url; ruleid: java.ssrf.http-client-url
        rest.getForObject("https://status.example.com" + q.get("path"), String.class);
        // ruleid: java.ssrf.tainted-url, java.ssrf.http-client-url
        return rest.getForObject("https://" + q.get("host") + "/status", String.class);
    }

    public void mirrors(HttpServletRequest request) {
        java.util.List<String> targets = new java.util.ArrayList<>();
        targets.add("https://mirror.example.com/sync");
        targets.add(request.getParameter("mirror"));
        // ok: java.ssrf.tainted-url; ruleid: java.ssrf.http-client-url
        rest.postForObject(targets.get(0), null, String.class);
        // ruleid: java.ssrf.tainted-url, java.ssrf.http-client-url
        rest.postForObject(targets.get(1), null, String.class);
    }

    public void registerCallback(@org.springframework.web.bind.annotation.RequestBody String url) {
        this.callbackUrl = url;
    }

    public void notifyCallback() throws Exception {
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder()
                // ruleid: java.ssrf.tainted-url, java.ssrf.http-client-url
                .uri(java.net.URI.create(this.callbackUrl))
                .build();
    }

    public String weather(HttpServletRequest request) {
        int zip = Integer.parseInt(request.getParameter("zip"));
        String host = request.getParameter("host");
        host = "weather.example.com";
        // ok: java.ssrf.tainted-url; ruleid: java.ssrf.http-client-url
        return rest.getForObject("https://" + host + "/zip/" + zip, String.class);
    }

    public String account(HttpServletRequest request) {
        // ok: java.ssrf.tainted-url
        return rest.getForObject("https://accounts.example.com/users/" + request.getParameter("id"), String.class);
    }

    // Open redirect

    public void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // ruleid: java.open-redirect.tainted-redirect, java.open-redirect.redirect-to-input
        response.sendRedirect(request.getParameter("next"));
    }

    private String landing(String target) {
        // ruleid: java.open-redirect.tainted-redirect, java.open-redirect.redirect-to-input
        return "redirect:" + target;
    }

    public String logout(@org.springframework.web.bind.annotation.RequestParam String target) {
        return landing(target);
    }

    public void moved(HttpServletRequest request, HttpServletResponse response) {
        java.util.Map<String, String> links = new java.util.HashMap<>();
        links.put("back", request.getHeader("Referer"));
        links.put("home", "/");
        // ok: java.open-redirect.tainted-redirect
        response.setHeader("Location", links.get("home"));
        // ruleid: java.open-redirect.tainted-redirect
        response.setHeader("Location", links.get("back"));
    }

    public void rememberReturn(HttpServletRequest request) {
        StringBuilder url = new StringBuilder();
        url.append(request.getParameter("return"));
        this.returnTo = url.toString();
    }

    public void back(HttpServletResponse response) throws IOException {
        // ruleid: java.open-redirect.tainted-redirect, java.open-redirect.redirect-to-input
        response.sendRedirect(this.returnTo);
    }

    public void next(HttpServletRequest request, HttpServletResponse response) throws IOException {
        java.util.List<String> steps = new java.util.ArrayList<>();
        steps.add("/wizard/2");
        steps.add(request.getParameter("step"));
        // ok: java.open-redirect.tainted-redirect; ruleid: java.open-redirect.redirect-to-input
        response.sendRedirect(steps.get(0));
        // ruleid: java.open-redirect.tainted-redirect, java.open-redirect.redirect-to-input
        response.sendRedirect(steps.get(1));
    }

    public void search(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String target = request.getParameter("target");
        target = "/search";
        // ok: java.open-redirect.tainted-redirect
        response.sendRedirect(target);
        // ok: java.open-redirect.tainted-redirect
        response.sendRedirect("/search?q=" + java.net.URLEncoder.encode(request.getParameter("q"), "UTF-8"));
        // ok: java.open-redirect.tainted-redirect
        response.sendRedirect("/orders/" + request.getParameter("id"));
    }

    public String afterSave(@org.springframework.web.bind.annotation.RequestParam String id) {
        // ok: java.open-redirect.tainted-redirect
        return "redirect:/orders/" + id;
    }

    // LDAP injection

    public Object member(HttpServletRequest request) throws Exception {
        // ruleid: java.ldap-injection.tainted-filter, java.ldap-injection.search-filter
        return ldap.search("ou=people", "(uid=" + request.getParameter("uid") + ")", new SearchControls());
    }

    private String byMail(String mail) {
        return String.format("(&(objectClass=person)(mail=%s))", mail);
    }

    public Object findByMail(HttpServletRequest request) throws Exception {
        // ruleid: java.ldap-injection.tainted-filter
        return ldap.search("ou=people", byMail(request.getParameter("mail")), new SearchControls());
    }

    public Object groups(HttpServletRequest request) throws Exception {
        java.util.Map<String, String> f = new java.util.HashMap<>();
        f.put("cn", request.getParameter("cn"));
        f.put("type", "groupOfNames");
        // ok: java.ldap-injection.tainted-filter; ruleid: java.ldap-injection.search-filter
        ldap.search("ou=groups", "(objectClass=" + f.get("type") + ")", new SearchControls());
        // ruleid: java.ldap-injection.tainted-filter, java.ldap-injection.search-filter
        return ldap.search("ou=groups", "(cn=" + f.get("cn") + ")", new SearchControls());
    }

    public Object either(HttpServletRequest request) throws Exception {
        java.util.List<String> terms = new java.util.ArrayList<>();
        terms.add("(objectClass=person)");
        terms.add("(sn=" + request.getParameter("sn") + ")");
        // ok: java.ldap-injection.tainted-filter
        ldap.search("ou=people", terms.get(0), new SearchControls());
        // ruleid: java.ldap-injection.tainted-filter, java.ldap-injection.search-filter
        return ldap.search("ou=people", "(|" + terms.get(0) + terms.get(1) + ")", new SearchControls());
    }

    public void chooseGroup(HttpServletRequest request) {
        this.group = request.getParameter("group");
    }

    public Object groupMembers() throws Exception {
        // ruleid: java.ldap-injection.tainted-filter, java.ldap-injection.search-filter
        return ldap.search("ou=groups", "(cn=" + this.group + ")", new SearchControls());
    }

    public Object safeMember(HttpServletRequest request) throws Exception {
        String uid = org.springframework.ldap.support.LdapEncoder.filterEncode(request.getParameter("uid"));
        // ok: java.ldap-injection.tainted-filter; ruleid: java.ldap-injection.search-filter
        ldap.search("ou=people", "(uid=" + uid + ")", new SearchControls());
        String dept = request.getParameter("dept");
        dept = "sales";
        // ok: java.ldap-injection.tainted-filter
        ldap.search("ou=people", "(department=" + dept + ")", new SearchControls());
        // ok: java.ldap-injection.tainted-filter
        return ldap.search("ou=people", "(uid={0})", new Object[] {request.getParameter("uid")}, new SearchControls());
    }

    // XPath injection

    public Object user(HttpServletRequest request) throws Exception {
        // ruleid: java.xpath-injection.tainted-expression, java.xpath-injection.dynamic-expression
        return xpath.evaluate("//user[@name='" + request.getParameter("name") + "']", users);
    }

    private String byRole(String r) {
        return "//user[@role='" + r + "']";
    }

    public Object usersByRole(HttpServletRequest request) throws Exception {
        // ruleid: java.xpath-injection.tainted-expression, java.xpath-injection.dynamic-expression
        return xpath.compile(byRole(request.getParameter("role"))).evaluate(users);
    }

    public Object attribute(HttpServletRequest request) throws Exception {
        java.util.Map<String, String> p = new java.util.HashMap<>();
        p.put("attr", request.getParameter("attr"));
        p.put("node", "user");
        // ok: java.xpath-injection.tainted-expression; ruleid: java.xpath-injection.dynamic-expression
        xpath.evaluate("count(//" + p.get("node") + ")", users);
        // ruleid: java.xpath-injection.tainted-expression, java.xpath-injection.dynamic-expression
        return xpath.evaluate("//user/@" + p.get("attr"), users);
    }

    public Object path(HttpServletRequest request) throws Exception {
        java.util.List<String> steps = new java.util.ArrayList<>();
        steps.add("users");
        steps.add(request.getParameter("child"));
        // ok: java.xpath-injection.tainted-expression; ruleid: java.xpath-injection.dynamic-expression
        xpath.evaluate("/" + steps.get(0), users);
        // ruleid: java.xpath-injection.tainted-expression, java.xpath-injection.dynamic-expression
        return xpath.evaluate("/" + steps.get(0) + "/" + steps.get(1), users);
    }

    public void pickRole(HttpServletRequest request) {
        this.role = request.getParameter("role");
    }

    public Object roleMembers() throws Exception {
        // ruleid: java.xpath-injection.tainted-expression, java.xpath-injection.dynamic-expression
        return xpath.evaluate(String.format("//user[@role='%s']", this.role), users);
    }

    public Object byIndex(HttpServletRequest request) throws Exception {
        int i = Integer.parseInt(request.getParameter("i"));
        // ok: java.xpath-injection.tainted-expression; ruleid: java.xpath-injection.dynamic-expression
        xpath.evaluate("//user[" + i + "]/@name", users);
        String name = request.getParameter("name");
        name = "admin";
        // ok: java.xpath-injection.tainted-expression
        xpath.evaluate("//user[@name='" + name + "']", users);
        String extra = "";
        if (false) {
            extra = request.getParameter("extra");
        }
        // ok: java.xpath-injection.tainted-expression; ruleid: java.xpath-injection.dynamic-expression
        return xpath.evaluate("//user" + extra, users);
    }
}
