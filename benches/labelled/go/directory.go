// Package directory exposes staff lookups over LDAP.
package directory

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"os/exec"

	"github.com/go-ldap/ldap/v3"
)

const baseDN = "ou=people,dc=example,dc=com"

var page = template.Must(template.New("p").Parse("<p>{{.}}</p>"))

func Lookup(w http.ResponseWriter, r *http.Request) {
	uid := r.URL.Query().Get("uid")
	conn, err := ldap.DialURL("ldap://ldap.example.com:389")
	if err != nil {
		http.Error(w, "ldap down", 503)
		return
	}
	defer conn.Close()
	filter := fmt.Sprintf("(&(objectClass=person)(uid=%s))", uid)
	req := ldap.NewSearchRequest(baseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, filter, []string{"cn"}, nil)
	// expect: CWE-90
	res, _ := conn.Search(req)
	safeFilter := fmt.Sprintf("(&(objectClass=person)(uid=%s))", ldap.EscapeFilter(uid))
	req2 := ldap.NewSearchRequest(baseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, safeFilter, []string{"cn"}, nil)
	// safe: CWE-90
	res2, _ := conn.Search(req2)
	// expect: CWE-79
	w.Write([]byte("<h2>" + uid + "</h2>"))
	// safe: CWE-79
	w.Write([]byte("<h2>" + html.EscapeString(uid) + "</h2>"))
	// safe: CWE-79
	page.Execute(w, uid)
	// expect: CWE-79
	page.Execute(w, template.HTML(r.URL.Query().Get("bio")))
	fmt.Fprintf(w, "%d %d", len(res.Entries), len(res2.Entries))
}

func Sync(w http.ResponseWriter, r *http.Request) {
	args := []string{r.FormValue("group"), "--dry-run"}
	cmdline := "ldap-sync"
	for _, a := range args {
		cmdline += " " + a
	}
	// expect: CWE-78
	exec.Command("bash", "-c", cmdline).Run()
	// safe: CWE-78
	exec.Command("ldap-sync", args...).Run()
	// safe: CWE-78
	exec.Command("bash", "-c", "ldap-sync "+args[1]).Run()
}
