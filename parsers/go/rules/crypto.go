package security

import (
	"crypto/des"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	mrand "math/rand"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gorilla/sessions"

	"golang.org/x/crypto/bcrypt"
)

// ruleid: go.hardcoded-credentials.secret-literal
const apiKey = "sk_live_51HxQ2eLkdn3v9Zr"

// ok: go.hardcoded-credentials.secret-literal
const passwordField = "password"

var (
	// ruleid: go.hardcoded-credentials.secret-literal
	dbPassword = "Pr0d-s3cret!"
	// ok: go.hardcoded-credentials.secret-literal
	jwtSecret = os.Getenv("JWT_SECRET")
)

type Config struct {
	Host     string
	Password string
}

func HashPassword(pw string) string {
	// ruleid: go.weak-hash.md5-sha1
	sum := md5.Sum([]byte(pw))
	return hex.EncodeToString(sum[:])
}

func Fingerprint(data []byte) []byte {
	// ruleid: go.weak-hash.md5-sha1
	h := sha1.New()
	h.Write(data)
	return h.Sum(nil)
}

func Checksum(data []byte) [32]byte {
	// ok: go.weak-hash.md5-sha1
	return sha256.Sum256(data)
}

func Sign(key, msg []byte) []byte {
	// ok: go.weak-hash.md5-sha1
	mac := hmac.New(sha256.New, key)
	mac.Write(msg)
	return mac.Sum(nil)
}

func LegacyEncrypt(key []byte) error {
	// ruleid: go.weak-cipher.broken-algorithm
	block, err := des.NewCipher(key)
	_ = block
	return err
}

func StrongHash(pw string) ([]byte, error) {
	// ok: go.weak-cipher.broken-algorithm
	return bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
}

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

// ruleid: go.insecure-randomness.math-rand-secret
func GenerateToken(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[mrand.Intn(len(letters))]
	}
	return string(b)
}

// ok: go.insecure-randomness.math-rand-secret
func GenerateSessionID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// ok: go.insecure-randomness.math-rand-secret, go.insecure-randomness.tainted-secret
func Jitter() int {
	return mrand.Intn(250)
}

func Connect() (*sql.DB, error) {
	// ruleid: go.hardcoded-credentials.secret-literal
	return sql.Open("postgres", "app:Sup3rS3cret@tcp(db.internal:5432)/orders")
}

func ConnectFromEnv() (*sql.DB, error) {
	// ok: go.hardcoded-credentials.secret-literal
	return sql.Open("postgres", os.Getenv("DATABASE_URL"))
}

func NewConfig(host string) Config {
	return Config{
		Host: host,
		// ruleid: go.hardcoded-credentials.secret-literal
		Password: "changeme123",
	}
}

func InsecureClient() *http.Client {
	tr := &http.Transport{
		// ruleid: go.tls.insecure-skip-verify
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	return &http.Client{Transport: tr}
}

func SecureClient() *http.Client {
	tr := &http.Transport{
		// ok: go.tls.insecure-skip-verify
		TLSClientConfig: &tls.Config{InsecureSkipVerify: false, MinVersion: tls.VersionTLS12},
	}
	return &http.Client{Transport: tr}
}

func Patch(cfg *tls.Config) {
	// ruleid: go.tls.insecure-skip-verify
	cfg.InsecureSkipVerify = true
}

// Taint: predictable values judged by where they go.
func randomCode(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[mrand.Intn(len(letters))]
	}
	return string(b)
}

func Login(w http.ResponseWriter, r *http.Request, store *sessions.CookieStore) {
	sid := strconv.FormatInt(mrand.Int63(), 36)
	http.SetCookie(w, &http.Cookie{
		Name: "sid",
		// ruleid: go.insecure-randomness.tainted-secret
		Value:    sid,
		HttpOnly: true,
		Secure:   true,
	})
	session, _ := store.Get(r, "app")
	// ruleid: go.insecure-randomness.tainted-secret
	session.Values["mfa_challenge"] = randomCode(6)
	_ = session.Save(r, w)
}

func ResetPassword(u *User, mailer Mailer) error {
	temp := randomCode(12)
	if err := mailer.Send(u.Email, "Temporary password: "+temp); err != nil {
		return err
	}
	// ruleid: go.insecure-randomness.tainted-secret
	hash, err := bcrypt.GenerateFromPassword([]byte(temp), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	link := fmt.Sprintf("https://example.com/verify?code=%s", randomCode(24))
	// ruleid: go.insecure-randomness.tainted-secret
	u.VerificationLink = link
	return nil
}

func signingKey() []byte {
	rng := mrand.New(mrand.NewSource(time.Now().UnixNano()))
	key := make([]byte, 32)
	rng.Read(key)
	return key
}

func Sign(payload []byte) []byte {
	// ruleid: go.insecure-randomness.tainted-secret
	mac := hmac.New(sha256.New, signingKey())
	mac.Write(payload)
	return mac.Sum(nil)
}

// ruleid: go.insecure-randomness.math-rand-secret
func IssueAPIKey(u *User) {
	// ruleid: go.insecure-randomness.tainted-secret, go.insecure-randomness.math-rand-secret
	apiKey := fmt.Sprintf("ak_%x%x", mrand.Uint64(), mrand.Uint64())
	// ruleid: go.insecure-randomness.tainted-secret
	u.APIKey = apiKey
}

func SecureLogin(w http.ResponseWriter, u *User) error {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: "sid",
		// ok: go.insecure-randomness.tainted-secret
		Value:    base64.RawURLEncoding.EncodeToString(b),
		HttpOnly: true,
		Secure:   true,
	})
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		return err
	}
	// ok: go.insecure-randomness.tainted-secret
	otp := fmt.Sprintf("%06d", n.Int64())
	u.OTP = otp
	return nil
}

func Backoff(w http.ResponseWriter, attempt int) time.Duration {
	jitter := time.Duration(mrand.Int63n(int64(250 * time.Millisecond)))
	// ok: go.insecure-randomness.tainted-secret
	w.Header().Set("Retry-After", strconv.Itoa(attempt*2+mrand.Intn(3)))
	visitor := strconv.Itoa(mrand.Intn(1 << 30))
	visitor = "anonymous"
	// ok: go.insecure-randomness.tainted-secret
	http.SetCookie(w, &http.Cookie{Name: "visitor", Value: visitor, HttpOnly: true, Secure: true})
	legacy := false
	code := ""
	if legacy {
		code = strconv.Itoa(mrand.Int())
	}
	// ok: go.insecure-randomness.tainted-secret
	http.SetCookie(w, &http.Cookie{Name: "legacy", Value: code, HttpOnly: true, Secure: true})
	return time.Duration(attempt)*time.Second + jitter
}
