package handlers

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"
)

const uploadDir = "/var/app/uploads"

func Download(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.path-traversal.file-path-from-request
	f, err := os.Open(filepath.Join(uploadDir, r.URL.Query().Get("file")))
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	io.Copy(w, f)
}

func Report(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("report")
	// ruleid: go.path-traversal.file-path-from-request
	data, err := os.ReadFile(name)
	if err != nil {
		return
	}
	w.Write(data)
}

func Attachment(c *gin.Context) {
	// ruleid: go.path-traversal.file-path-from-request
	http.ServeFile(c.Writer, c.Request, filepath.Join("/srv/files", c.Query("name")))
}

func SafeDownload(w http.ResponseWriter, r *http.Request) {
	// ok: go.path-traversal.file-path-from-request
	f, err := os.Open(filepath.Join(uploadDir, filepath.Base(r.URL.Query().Get("file"))))
	if err != nil {
		return
	}
	defer f.Close()
	io.Copy(w, f)
}

func LoadConfig(path string) ([]byte, error) {
	// ok: go.path-traversal.file-path-from-request
	return os.ReadFile(path)
}

func Preview(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	// ruleid: go.ssrf.http-request-url
	resp, err := http.Get(target)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func Fetch(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.ssrf.http-request-url
	req, _ := http.NewRequest("GET", "http://"+r.FormValue("host")+"/status", nil)
	http.DefaultClient.Do(req)
}

func UserProfile(id string) (*http.Response, error) {
	// ok: go.ssrf.http-request-url
	return http.Get("https://api.example.com/users/" + url.PathEscape(id))
}

func Health() (*http.Response, error) {
	// ok: go.ssrf.http-request-url
	return http.Get("https://status.example.com/health")
}

func Search(q string) (*http.Response, error) {
	// ok: go.ssrf.http-request-url
	return http.Get("https://search.example.com/?q=" + q)
}

func AfterLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	// ruleid: go.open-redirect.redirect-to-input
	http.Redirect(w, r, next, http.StatusFound)
}

func Back(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.open-redirect.redirect-to-input
	http.Redirect(w, r, r.FormValue("return_to"), http.StatusSeeOther)
}

func Home(w http.ResponseWriter, r *http.Request) {
	// ok: go.open-redirect.redirect-to-input
	http.Redirect(w, r, "/dashboard", http.StatusFound)
}

func SetSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:  "session",
		Value: token,
		// ruleid: go.insecure-cookie.flag-disabled
		Secure: false,
		// ok: go.insecure-cookie.flag-disabled
		HttpOnly: true,
	})
}

func GinSession(c *gin.Context, token string) {
	// ruleid: go.insecure-cookie.flag-disabled
	c.SetCookie("session", token, 3600, "/", "example.com", false, true)
	// ok: go.insecure-cookie.flag-disabled
	c.SetCookie("session", token, 3600, "/", "example.com", true, true)
}
