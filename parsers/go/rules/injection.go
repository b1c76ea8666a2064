package handlers

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"os/exec"
	"strconv"

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
	// ruleid: go.command-injection.exec-command
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
		// ruleid: go.xss.unescaped-template-content
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
	// ruleid: go.xss.response-writer-html
	fmt.Fprintf(w, "<h1>Hello, %s</h1>", name)
	// ruleid: go.xss.response-writer-html
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
