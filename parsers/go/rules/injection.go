package handlers

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-ldap/ldap/v3"
)

type Store struct {
	db *sql.DB
}

func (s *Store) UserByName(name string) (*sql.Rows, error) {
	// ruleid: go.sql-injection.formatted-query
	return s.db.Query("SELECT id, email FROM users WHERE name = '" + name + "'")
}

func (s *Store) DeleteOrder(ctx context.Context, id string) error {
	// ruleid: go.sql-injection.formatted-query
	_, err := s.db.ExecContext(ctx, fmt.Sprintf("DELETE FROM orders WHERE id = '%s'", id))
	return err
}

func (s *Store) Search(term string) (*sql.Rows, error) {
	// ruleid: go.sql-injection.formatted-query-string
	query := fmt.Sprintf("SELECT id, title FROM items WHERE title LIKE '%%%s%%'", term)
	return s.db.Query(query)
}

func (s *Store) ByStatus(status string) (*sql.Rows, error) {
	var q string
	// ruleid: go.sql-injection.formatted-query-string
	q = "SELECT id FROM orders WHERE status = '" + status + "'"
	return s.db.Query(q)
}

func (s *Store) UserByID(ctx context.Context, id int64) *sql.Row {
	// ok: go.sql-injection.formatted-query
	return s.db.QueryRowContext(ctx, "SELECT id, email FROM users WHERE id = $1", id)
}

func (s *Store) Page(limit int) (*sql.Rows, error) {
	// ok: go.sql-injection.formatted-query
	return s.db.Query(fmt.Sprintf("SELECT id FROM items ORDER BY id LIMIT %d", limit))
}

func (s *Store) Named(name string) (*sql.Rows, error) {
	// ok: go.sql-injection.formatted-query-string
	query := "SELECT id FROM users WHERE name = $1"
	return s.db.Query(query, name)
}

func Greeting(name string) string {
	// ok: go.sql-injection.formatted-query-string
	msg := fmt.Sprintf("Selected %s from the list", name)
	return msg
}

func Ping(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	// ruleid: go.command-injection.exec-command, go.command-injection.tainted-command
	out, _ := exec.Command("sh", "-c", "ping -c 1 "+host).Output()
	w.Write(out)
}

func Convert(ctx context.Context, file string) error {
	// ruleid: go.command-injection.exec-command
	return exec.CommandContext(ctx, "/bin/bash", "-c", file).Run()
}

func Lookup(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.command-injection.exec-command
	out, _ := exec.Command("nslookup", r.FormValue("domain")).Output()
	w.Write(out)
}

func Uptime() ([]byte, error) {
	// ok: go.command-injection.exec-command
	return exec.Command("uptime").Output()
}

func GitLog(n int) ([]byte, error) {
	// ok: go.command-injection.exec-command
	return exec.Command("git", "log", "-n", strconv.Itoa(n)).Output()
}

func Render(w http.ResponseWriter, r *http.Request, tmpl *template.Template) {
	bio := r.FormValue("bio")
	data := map[string]interface{}{
		// ruleid: go.xss.unescaped-template-content, go.xss.tainted-response
		"Bio": template.HTML(bio),
		// ok: go.xss.unescaped-template-content
		"Footer": template.HTML("<small>&copy; Example</small>"),
		// ok: go.xss.unescaped-template-content
		"Safe": template.HTML(policy.Sanitize(bio)),
	}
	tmpl.Execute(w, data)
}

func Hello(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go.xss.response-writer-html, go.xss.tainted-response
	fmt.Fprintf(w, "<h1>Hello, %s</h1>", name)
	// ruleid: go.xss.response-writer-html, go.xss.tainted-response
	fmt.Fprint(w, "<p>"+r.FormValue("msg")+"</p>")
	// ok: go.xss.response-writer-html
	fmt.Fprintf(w, "<h1>Hello, %s</h1>", html.EscapeString(name))
	// ok: go.xss.response-writer-html
	fmt.Fprintf(w, "Hello, %s", name)
}

func FindUser(conn *ldap.Conn, username string) (*ldap.SearchResult, error) {
	// ruleid: go.ldap-injection.search-filter
	req := ldap.NewSearchRequest(
		"ou=people,dc=example,dc=com",
		ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		fmt.Sprintf("(&(objectClass=person)(uid=%s))", username),
		[]string{"dn", "cn"},
		nil,
	)
	return conn.Search(req)
}

func FindUserSafe(conn *ldap.Conn, username string) (*ldap.SearchResult, error) {
	// ok: go.ldap-injection.search-filter
	req := ldap.NewSearchRequest(
		"ou=people,dc=example,dc=com",
		ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		fmt.Sprintf("(&(objectClass=person)(uid=%s))", ldap.EscapeFilter(username)),
		[]string{"dn", "cn"},
		nil,
	)
	return conn.Search(req)
}

type OrderHandler struct {
	db   *sql.DB
	conn *ldap.Conn
}

func (h *OrderHandler) ByCustomer(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.sql-injection.tainted-query, go.sql-injection.formatted-query
	rows, err := h.db.Query("SELECT id FROM orders WHERE customer = '" + r.FormValue("customer") + "'")
	if err != nil {
		return
	}
	defer rows.Close()
}

func statusClause(status string) string {
	return fmt.Sprintf(" WHERE status = '%s'", status)
}

func purge(db *sql.DB, where string) error {
	// ruleid: go.sql-injection.tainted-query, go.sql-injection.formatted-query
	_, err := db.Exec("DELETE FROM orders" + where)
	return err
}

func (h *OrderHandler) ByStatus(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	// ruleid: go.sql-injection.tainted-query, go.sql-injection.formatted-query
	h.db.Query("SELECT id FROM orders" + statusClause(status))
	purge(h.db, statusClause(r.PostFormValue("status")))
}

func (h *OrderHandler) Search(w http.ResponseWriter, r *http.Request) {
	filters := map[string]string{}
	filters["region"] = r.FormValue("region")
	filters["order"] = "total"
	// ok: go.sql-injection.tainted-query; ruleid: go.sql-injection.formatted-query
	h.db.Query("SELECT id FROM orders ORDER BY " + filters["order"])
	// ruleid: go.sql-injection.tainted-query, go.sql-injection.formatted-query
	h.db.Query("SELECT id FROM orders WHERE region = '" + filters["region"] + "'")
}

func (h *OrderHandler) Export(w http.ResponseWriter, r *http.Request) {
	columns := []string{}
	columns = append(columns, "id")
	columns = append(columns, r.FormValue("column"))
	// ok: go.sql-injection.tainted-query; ruleid: go.sql-injection.formatted-query
	h.db.Query("SELECT " + columns[0] + " FROM orders")
	// ruleid: go.sql-injection.tainted-query, go.sql-injection.formatted-query
	h.db.Query("SELECT " + columns[1] + " FROM orders")
}

func (h *OrderHandler) Report(w http.ResponseWriter, r *http.Request) {
	var sb strings.Builder
	sb.WriteString("SELECT id FROM orders WHERE 1 = 1")
	if from := r.URL.Query().Get("from"); from != "" {
		sb.WriteString(" AND created_at >= '" + from + "'")
	}
	// ruleid: go.sql-injection.tainted-query
	h.db.QueryContext(r.Context(), sb.String())
}

func (h *OrderHandler) ByNote(c *gin.Context) {
	q := "SELECT id FROM orders WHERE note LIKE '%"
	q += c.Query("note")
	q += "%'"
	// ruleid: go.sql-injection.tainted-query
	h.db.Query(q)
}

func (h *OrderHandler) Safe(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.FormValue("id"))
	if err != nil {
		return
	}
	// ok: go.sql-injection.tainted-query; ruleid: go.sql-injection.formatted-query
	h.db.Query("SELECT * FROM orders WHERE id = " + strconv.Itoa(id))
	limit := r.FormValue("limit")
	limit = "50"
	// ok: go.sql-injection.tainted-query
	h.db.Query("SELECT * FROM orders LIMIT " + limit)
	table := "orders"
	if false {
		table = r.FormValue("table")
	}
	// ok: go.sql-injection.tainted-query; ruleid: go.sql-injection.formatted-query
	h.db.Query("SELECT * FROM " + table)
	// ok: go.sql-injection.tainted-query
	h.db.QueryRow("SELECT * FROM orders WHERE ref = $1", r.FormValue("ref"))
}

func runShell(script string) ([]byte, error) {
	// ruleid: go.command-injection.tainted-command, go.command-injection.exec-command
	return exec.Command("/bin/sh", "-c", script).Output()
}

func Tools(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	// ruleid: go.command-injection.tainted-command, go.command-injection.exec-command
	exec.Command("bash", "-c", "nslookup "+host).Run()
	runShell(fmt.Sprintf("convert in.png -resize %s out.png", r.FormValue("size")))
	opts := map[string]string{"target": r.FormValue("target"), "hops": "30"}
	// ok: go.command-injection.tainted-command; ruleid: go.command-injection.exec-command
	exec.Command("sh", "-c", "traceroute -m "+opts["hops"]+" example.com").Run()
	// ruleid: go.command-injection.tainted-command, go.command-injection.exec-command
	exec.CommandContext(r.Context(), "sh", "-c", "traceroute "+opts["target"]).Run()
	parts := []string{"tar czf /tmp/out.tgz"}
	parts = append(parts, r.FormValue("dir"))
	// ok: go.command-injection.tainted-command; ruleid: go.command-injection.exec-command
	exec.Command("sh", "-c", parts[0]).Run()
	// ruleid: go.command-injection.tainted-command, go.command-injection.exec-command
	exec.Command("sh", "-c", strings.Join(parts, " ")).Run()
	// ruleid: go.command-injection.tainted-command, go.command-injection.exec-command
	exec.Command(r.FormValue("tool"), "--version").Run()
}

func SafeTools(w http.ResponseWriter, r *http.Request) {
	count, _ := strconv.Atoi(r.FormValue("count"))
	// ok: go.command-injection.tainted-command; ruleid: go.command-injection.exec-command
	exec.Command("sh", "-c", "ping -c "+strconv.Itoa(count)+" 127.0.0.1").Run()
	// ok: go.command-injection.tainted-command; ruleid: go.command-injection.exec-command
	exec.Command("ping", "-c", "1", r.FormValue("host")).Run()
	dir := r.FormValue("dir")
	dir = "/tmp/cache"
	// ok: go.command-injection.tainted-command; ruleid: go.command-injection.exec-command
	exec.Command("sh", "-c", "rm -rf "+dir).Run()
	extra := ""
	if false {
		extra = r.FormValue("flags")
	}
	// ok: go.command-injection.tainted-command; ruleid: go.command-injection.exec-command
	exec.Command("sh", "-c", "uname -a"+extra).Run()
}

func banner(title string) string {
	return "<h1>" + title + "</h1>"
}

func Profile(w http.ResponseWriter, r *http.Request) {
	title := r.URL.Query().Get("title")
	// ruleid: go.xss.tainted-response
	io.WriteString(w, banner(title))
	// ok: go.xss.tainted-response
	io.WriteString(w, banner(html.EscapeString(title)))
	model := map[string]string{"name": r.FormValue("name"), "site": "Example"}
	// ok: go.xss.tainted-response; ruleid: go.xss.response-writer-html
	fmt.Fprintf(w, "<footer>%s</footer>", model["site"])
	// ruleid: go.xss.tainted-response, go.xss.response-writer-html
	fmt.Fprintf(w, "<b>%s</b>", model["name"])
	items := []string{"<li>home</li>"}
	items = append(items, "<li>"+r.FormValue("item")+"</li>")
	// ok: go.xss.tainted-response
	w.Write([]byte(items[0]))
	// ruleid: go.xss.tainted-response
	w.Write([]byte(items[1]))
	var page bytes.Buffer
	page.WriteString("<ul>")
	for _, v := range r.URL.Query()["v"] {
		page.WriteString("<li>" + v + "</li>")
	}
	// ruleid: go.xss.tainted-response
	w.Write(page.Bytes())
}

func SafeProfile(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.FormValue("page"))
	// ok: go.xss.tainted-response
	fmt.Fprintf(w, "<p>Page %d</p>", n)
	note := r.FormValue("note")
	note = "Welcome back"
	// ok: go.xss.tainted-response
	fmt.Fprint(w, "<p>"+note+"</p>")
	debug := ""
	if false {
		debug = r.URL.RawQuery
	}
	// ok: go.xss.tainted-response; ruleid: go.xss.response-writer-html
	io.WriteString(w, "<pre>"+debug+"</pre>")
	// ok: go.xss.tainted-response
	fmt.Fprintf(w, "Hello, %s", r.FormValue("name"))
}

func memberFilter(uid string) string {
	return "(uid=" + uid + ")"
}

func (h *OrderHandler) Member(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.ldap-injection.tainted-filter, go.ldap-injection.search-filter
	req := ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(uid="+r.FormValue("uid")+")", []string{"dn"}, nil)
	h.conn.Search(req)
	// ruleid: go.ldap-injection.tainted-filter
	byHelper := ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, memberFilter(r.FormValue("uid")), []string{"dn"}, nil)
	h.conn.Search(byHelper)
	f := map[string]string{"cn": r.FormValue("cn"), "type": "groupOfNames"}
	// ok: go.ldap-injection.tainted-filter; ruleid: go.ldap-injection.search-filter
	ldap.NewSearchRequest("ou=groups,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(objectClass="+f["type"]+")", nil, nil)
	// ruleid: go.ldap-injection.tainted-filter, go.ldap-injection.search-filter
	ldap.NewSearchRequest("ou=groups,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, fmt.Sprintf("(cn=%s)", f["cn"]), nil, nil)
	terms := []string{"(objectClass=person)", "(sn=" + r.FormValue("sn") + ")"}
	// ok: go.ldap-injection.tainted-filter
	ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, terms[0], nil, nil)
	// ruleid: go.ldap-injection.tainted-filter, go.ldap-injection.search-filter
	ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(|"+terms[0]+terms[1]+")", nil, nil)
}

func (h *OrderHandler) SafeMember(w http.ResponseWriter, r *http.Request) {
	// ok: go.ldap-injection.tainted-filter
	ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(uid="+ldap.EscapeFilter(r.FormValue("uid"))+")", nil, nil)
	dept := r.FormValue("dept")
	dept = "sales"
	// ok: go.ldap-injection.tainted-filter
	ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(department="+dept+")", nil, nil)
	extra := ""
	if false {
		extra = r.FormValue("extra")
	}
	// ok: go.ldap-injection.tainted-filter; ruleid: go.ldap-injection.search-filter
	ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(&(objectClass=person)"+extra+")", nil, nil)
}
