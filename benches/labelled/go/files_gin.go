// Package api contains the gin routes for file storage.
package api

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"
)

const storageRoot = "/srv/storage"

type fileReq struct {
	Name   string
	Bucket string
}

func newFileReq(c *gin.Context) fileReq {
	return fileReq{Name: c.Query("name"), Bucket: "public"}
}

func Download(c *gin.Context) {
	fr := newFileReq(c)
	p := filepath.Join(storageRoot, fr.Bucket, fr.Name)
	// expect: CWE-22
	data, err := os.ReadFile(p)
	if err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	c.Data(http.StatusOK, "application/octet-stream", data)
}

func BucketIndex(c *gin.Context) {
	fr := newFileReq(c)
	// safe: CWE-22
	data, _ := os.ReadFile(filepath.Join(storageRoot, fr.Bucket, "index.json"))
	c.Data(http.StatusOK, "application/json", data)
}

func Serve(c *gin.Context) {
	name := c.Query("file")
	// expect: CWE-22
	c.File(storageRoot + "/" + name)
}

func ServeBase(c *gin.Context) {
	name := filepath.Base(c.Query("file"))
	name = "robots.txt"
	// safe: CWE-22
	c.File(storageRoot + "/" + name)
}

func Upload(c *gin.Context) {
	dest := c.PostForm("dest")
	f, err := c.FormFile("file")
	if err != nil {
		c.Status(http.StatusBadRequest)
		return
	}
	// expect: CWE-22
	c.SaveUploadedFile(f, filepath.Join(storageRoot, dest))
	c.Status(http.StatusCreated)
}

func Greet(c *gin.Context) {
	who := c.Query("who")
	// expect: CWE-79
	c.Data(http.StatusOK, "text/html", []byte("<h1>Hi "+who+"</h1>"))
	// safe: CWE-79
	c.String(http.StatusOK, "Hi %s", who)
}

func Back(c *gin.Context) {
	// expect: CWE-601
	c.Redirect(http.StatusFound, c.Query("back"))
}

func Home(c *gin.Context) {
	// safe: CWE-601
	c.Redirect(http.StatusFound, "/files")
}
