package handlers

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/mux"
)

const uploadDir = "/var/app/uploads"

func Download(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.path-traversal.file-path-from-request, go.path-traversal.tainted-path
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
	// ruleid: go.path-traversal.file-path-from-request, go.path-traversal.tainted-path
	data, err := os.ReadFile(name)
	if err != nil {
		return
	}
	w.Write(data)
}

func Attachment(c *gin.Context) {
	// ruleid: go.path-traversal.file-path-from-request, go.path-traversal.tainted-path
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
	// ruleid: go.ssrf.http-request-url, go.ssrf.tainted-url
	resp, err := http.Get(target)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func Fetch(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.ssrf.http-request-url, go.ssrf.tainted-url
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
	// ruleid: go.open-redirect.redirect-to-input, go.open-redirect.tainted-redirect
	http.Redirect(w, r, next, http.StatusFound)
}

func Back(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.open-redirect.redirect-to-input, go.open-redirect.tainted-redirect
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

const filesDir = "/srv/files"

func Attachments(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.path-traversal.tainted-path, go.path-traversal.file-path-from-request
	data, _ := os.ReadFile(filesDir + "/" + r.FormValue("name"))
	w.Write(data)
}

func readDocument(relative string) ([]byte, error) {
	// ruleid: go.path-traversal.tainted-path
	return os.ReadFile(filepath.Join(filesDir, relative))
}

func Document(w http.ResponseWriter, r *http.Request) {
	readDocument(mux.Vars(r)["doc"])
	req := map[string]string{"file": r.FormValue("file"), "format": "csv"}
	// ok: go.path-traversal.tainted-path
	os.ReadFile(filepath.Join(filesDir, "export."+req["format"]))
	// ruleid: go.path-traversal.tainted-path
	os.ReadFile(filepath.Join(filesDir, req["file"]))
	names := []string{"tmp.lock"}
	names = append(names, r.FormValue("name"))
	// ok: go.path-traversal.tainted-path
	os.Remove(filepath.Join(filesDir, names[0]))
	// ruleid: go.path-traversal.tainted-path
	os.Remove(filepath.Join(filesDir, names[1]))
	avatar := fmt.Sprintf("%s/avatars/%s.png", filesDir, r.Header.Get("X-User"))
	// ruleid: go.path-traversal.tainted-path
	http.ServeFile(w, r, avatar)
}

func SafeDocument(w http.ResponseWriter, r *http.Request) {
	// ok: go.path-traversal.tainted-path
	os.Open(filepath.Join(filesDir, filepath.Base(r.FormValue("name"))))
	dir := r.FormValue("dir")
	dir = "incoming"
	// ok: go.path-traversal.tainted-path
	os.MkdirAll(filepath.Join(filesDir, dir), 0o755)
	sub := "public"
	if false {
		sub = r.FormValue("sub")
	}
	// ok: go.path-traversal.tainted-path
	os.ReadDir(filepath.Join(filesDir, sub))
	id, _ := strconv.Atoi(r.FormValue("id"))
	// ok: go.path-traversal.tainted-path
	os.ReadFile(filepath.Join(filesDir, strconv.Itoa(id)+".json"))
	// ok: go.path-traversal.tainted-path; ruleid: go.path-traversal.file-path-from-request
	os.ReadFile(filepath.Join(filesDir, filepath.Clean("/"+r.FormValue("name"))))
}

func GinDownload(c *gin.Context) {
	// ruleid: go.path-traversal.tainted-path
	c.File(filepath.Join(filesDir, c.Param("name")))
}

func PreviewLink(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.ssrf.tainted-url, go.ssrf.http-request-url
	resp, err := http.Get(r.FormValue("url"))
	if err == nil {
		resp.Body.Close()
	}
}

func fetchImage(client *http.Client, address string) (*http.Response, error) {
	// ruleid: go.ssrf.tainted-url
	return client.Get(address)
}

func Image(w http.ResponseWriter, r *http.Request) {
	fetchImage(http.DefaultClient, "http://"+r.Header.Get("X-Image-Host")+"/img.png")
	q := map[string]string{"host": r.FormValue("host"), "path": "/status"}
	// ok: go.ssrf.tainted-url; ruleid: go.ssrf.http-request-url
	http.Get("https://status.example.com" + q["path"])
	// ruleid: go.ssrf.tainted-url, go.ssrf.http-request-url
	http.Get("https://" + q["host"] + "/status")
	targets := []string{"https://mirror.example.com/sync"}
	targets = append(targets, r.FormValue("mirror"))
	// ok: go.ssrf.tainted-url
	http.Post(targets[0], "application/json", nil)
	// ruleid: go.ssrf.tainted-url
	http.Post(targets[1], "application/json", nil)
	var callback strings.Builder
	callback.WriteString("https://")
	callback.WriteString(r.URL.Query().Get("cb"))
	// ruleid: go.ssrf.tainted-url
	http.NewRequestWithContext(r.Context(), "POST", callback.String(), nil)
}

func SafeImage(w http.ResponseWriter, r *http.Request) {
	zip, _ := strconv.Atoi(r.FormValue("zip"))
	// ok: go.ssrf.tainted-url
	http.Get("https://weather.example.com/zip/" + strconv.Itoa(zip))
	host := r.FormValue("host")
	host = "weather.example.com"
	// ok: go.ssrf.tainted-url
	http.Get("https://" + host + "/today")
	mirror := "https://mirror.example.com"
	if false {
		mirror = r.FormValue("mirror")
	}
	// ok: go.ssrf.tainted-url; ruleid: go.ssrf.http-request-url
	http.NewRequest("GET", mirror+"/sync", nil)
	// ok: go.ssrf.tainted-url
	http.Get("https://api.example.com/users/" + r.FormValue("id"))
}

func Login(w http.ResponseWriter, r *http.Request) {
	// ruleid: go.open-redirect.tainted-redirect, go.open-redirect.redirect-to-input
	http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusFound)
}

func landing(w http.ResponseWriter, r *http.Request, target string) {
	// ruleid: go.open-redirect.tainted-redirect
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func Logout(w http.ResponseWriter, r *http.Request) {
	landing(w, r, r.FormValue("target"))
	links := map[string]string{"back": r.Referer(), "home": "/"}
	// ok: go.open-redirect.tainted-redirect
	w.Header().Set("Location", links["home"])
	// ruleid: go.open-redirect.tainted-redirect
	w.Header().Set("Location", links["back"])
	steps := []string{"/wizard/2"}
	steps = append(steps, r.FormValue("step"))
	// ok: go.open-redirect.tainted-redirect
	http.Redirect(w, r, steps[0], http.StatusFound)
	// ruleid: go.open-redirect.tainted-redirect
	http.Redirect(w, r, steps[1], http.StatusFound)
}

func GinBack(c *gin.Context) {
	back := fmt.Sprintf("%s?tab=%s", c.Query("return"), "orders")
	// ruleid: go.open-redirect.tainted-redirect
	c.Redirect(http.StatusFound, back)
}

func SafeLogin(w http.ResponseWriter, r *http.Request) {
	target := r.FormValue("target")
	target = "/home"
	// ok: go.open-redirect.tainted-redirect; ruleid: go.open-redirect.redirect-to-input
	http.Redirect(w, r, target, http.StatusFound)
	// ok: go.open-redirect.tainted-redirect; ruleid: go.open-redirect.redirect-to-input
	http.Redirect(w, r, "/search?q="+url.QueryEscape(r.FormValue("q")), http.StatusFound)
	dest := "/"
	if false {
		dest = r.FormValue("dest")
	}
	// ok: go.open-redirect.tainted-redirect
	http.Redirect(w, r, dest, http.StatusFound)
	// ok: go.open-redirect.tainted-redirect; ruleid: go.open-redirect.redirect-to-input
	http.Redirect(w, r, "/orders/"+r.FormValue("id"), http.StatusFound)
	// ruleid: go.open-redirect.tainted-redirect, go.open-redirect.redirect-to-input
	http.Redirect(w, r, "/"+r.FormValue("path"), http.StatusFound)
	// ok: go.open-redirect.tainted-redirect; ruleid: go.open-redirect.redirect-to-input
	http.Redirect(w, r, fmt.Sprintf("/login?next=%s", r.FormValue("next")), http.StatusFound)
}
