// Package proxy fetches remote resources on behalf of the UI.
package proxy

import (
	"encoding/gob"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
)

const thumbHost = "https://thumbs.example.com"

type Session struct {
	User  string
	Roles []string
}

func Fetch(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	// expect: CWE-918
	resp, err := http.Get(target)
	if err != nil {
		http.Error(w, "fetch failed", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func Thumb(w http.ResponseWriter, r *http.Request) {
	img := url.PathEscape(r.URL.Query().Get("img"))
	// safe: CWE-918
	resp, err := http.Get(thumbHost + "/small/" + img)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func Mirror(w http.ResponseWriter, r *http.Request) {
	hosts := map[string]string{
		"user":   r.URL.Query().Get("host"),
		"health": "https://health.example.com/ping",
	}
	// safe: CWE-918
	h, _ := http.Get(hosts["health"])
	req, _ := http.NewRequest("GET", "http://"+hosts["user"]+"/metrics", nil)
	// expect: CWE-918
	m, _ := http.DefaultClient.Do(req)
	if h != nil {
		h.Body.Close()
	}
	if m != nil {
		m.Body.Close()
	}
}

func Restore(w http.ResponseWriter, r *http.Request) {
	var s Session
	// safe: CWE-502
	gob.NewDecoder(r.Body).Decode(&s)
	json.NewEncoder(w).Encode(s)
}

func RestoreJSON(w http.ResponseWriter, r *http.Request) {
	var s Session
	// safe: CWE-502
	json.NewDecoder(r.Body).Decode(&s)
	json.NewEncoder(w).Encode(s)
}
