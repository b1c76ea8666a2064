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
	"encoding/hex"
	mrand "math/rand"
	"net/http"
	"os"

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

// ok: go.insecure-randomness.math-rand-secret
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
