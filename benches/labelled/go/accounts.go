// Package handlers serves the account pages over net/http.
package handlers

import (
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
)

const accountTable = "accounts"
const activeOnly = "active = true"

type AccountHandler struct {
	DB *sql.DB
}

func ownerFilter(owner string) string {
	return fmt.Sprintf("WHERE owner = '%s'", owner)
}

func (h *AccountHandler) List(w http.ResponseWriter, r *http.Request) {
	owner := r.URL.Query().Get("owner")
	// expect: CWE-89
	rows, err := h.DB.Query("SELECT id, balance FROM accounts " + ownerFilter(owner))
	if err != nil {
		http.Error(w, "db error", 500)
		return
	}
	defer rows.Close()
	// safe: CWE-89
	count, _ := h.DB.Query("SELECT COUNT(*) FROM " + accountTable + " WHERE " + activeOnly)
	defer count.Close()
	// safe: CWE-89
	mine, _ := h.DB.Query("SELECT id FROM accounts WHERE owner = $1", owner)
	defer mine.Close()
}

func (h *AccountHandler) Show(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.URL.Query().Get("id"))
	if err != nil {
		http.Error(w, "bad id", 400)
		return
	}
	// safe: CWE-89
	row := h.DB.QueryRow(fmt.Sprintf("SELECT balance FROM accounts WHERE id = %d", id))
	var sb strings.Builder
	sb.WriteString("SELECT balance FROM accounts WHERE iban = '")
	sb.WriteString(r.FormValue("iban"))
	sb.WriteString("'")
	// expect: CWE-89
	row2 := h.DB.QueryRow(sb.String())
	var a, b float64
	row.Scan(&a)
	row2.Scan(&b)
	// expect: CWE-79
	fmt.Fprintf(w, "<p>Account %s: %.2f</p>", r.FormValue("iban"), a+b)
}

func (h *AccountHandler) Statement(w http.ResponseWriter, r *http.Request) {
	month := r.URL.Query().Get("month")
	// expect: CWE-78
	out, _ := exec.Command("sh", "-c", "make-statement --month "+month).Output()
	// safe: CWE-78
	out2, _ := exec.Command("make-statement", "--month", month).Output()
	w.Write(append(out, out2...))
}

func (h *AccountHandler) Logout(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if false {
		// safe: CWE-601
		http.Redirect(w, r, next, http.StatusFound)
	}
	// expect: CWE-601
	http.Redirect(w, r, r.URL.Query().Get("continue"), http.StatusFound)
}
