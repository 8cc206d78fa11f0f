package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

const servingPrefix = "/apis/serving.knative.dev/v1/namespaces/"

// fakeAPI serves a Knative Service and its Revisions from files. Updates are serialised by mu
// only so that their record files are numbered in arrival order.
type fakeAPI struct {
	fixture string
	record  string

	mu      sync.Mutex
	updates int
}

func (a *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// /apis/serving.knative.dev/v1/namespaces/{ns}/{resource}[/{name}]
	rest, ok := strings.CutPrefix(r.URL.Path, servingPrefix)
	parts := strings.Split(rest, "/")
	if !ok || len(parts) < 2 || len(parts) > 3 {
		a.notFound(w, r)
		return
	}
	resource, name := parts[1], ""
	if len(parts) == 3 {
		name = parts[2]
	}

	switch {
	case resource == "services" && name != "" && r.Method == http.MethodGet:
		a.serveFile(w, r, filepath.Join(a.fixture, "service.json"), name)
	case resource == "services" && name != "" && r.Method == http.MethodPut:
		a.recordUpdate(w, r)
	case resource == "revisions" && name != "" && r.Method == http.MethodGet:
		a.serveFile(w, r, filepath.Join(a.fixture, "revisions", name+".json"), name)
	case resource == "revisions" && name == "" && r.Method == http.MethodGet:
		a.serveRevisionList(w, r)
	default:
		a.notFound(w, r)
	}
}

// serveFile answers with one object, or a Kubernetes NotFound when the file is missing or
// holds an object of another name.
func (a *fakeAPI) serveFile(w http.ResponseWriter, r *http.Request, path, name string) {
	data, err := os.ReadFile(path)
	if err != nil || objectName(data) != name {
		a.notFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, data)
}

// serveRevisionList answers with every fixture revision. Label selectors are not applied:
// a fixture holds the revisions of one Service only.
func (a *fakeAPI) serveRevisionList(w http.ResponseWriter, r *http.Request) {
	paths, err := filepath.Glob(filepath.Join(a.fixture, "revisions", "*.json"))
	if err != nil {
		writeStatus(w, http.StatusInternalServerError, "InternalError", err.Error())
		return
	}
	sort.Strings(paths)
	items := make([]json.RawMessage, 0, len(paths))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			writeStatus(w, http.StatusInternalServerError, "InternalError", err.Error())
			return
		}
		items = append(items, data)
	}
	list, _ := json.Marshal(map[string]any{
		"apiVersion": "serving.knative.dev/v1",
		"kind":       "RevisionList",
		"metadata":   map[string]string{"resourceVersion": "1"},
		"items":      items,
	})
	writeJSON(w, http.StatusOK, list)
}

// recordUpdate writes the received Service to the next record file and echoes it back.
func (a *fakeAPI) recordUpdate(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || !json.Valid(body) {
		writeStatus(w, http.StatusBadRequest, "BadRequest", "the body is not JSON")
		return
	}
	a.mu.Lock()
	a.updates++
	path := filepath.Join(a.record, fmt.Sprintf("update-%d.json", a.updates))
	err = os.WriteFile(path, body, 0o644)
	a.mu.Unlock()
	if err != nil {
		writeStatus(w, http.StatusInternalServerError, "InternalError", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// notFound logs the request, so that a call this fake does not know shows up in the test
// output, and answers like the API server does for a missing object.
func (a *fakeAPI) notFound(w http.ResponseWriter, r *http.Request) {
	log.Printf("fake-serving-api: no answer for %s %s", r.Method, r.URL.Path)
	writeStatus(w, http.StatusNotFound, "NotFound", r.URL.Path+" not found")
}

func objectName(data []byte) string {
	var obj struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if json.Unmarshal(data, &obj) != nil {
		return ""
	}
	return obj.Metadata.Name
}

func writeJSON(w http.ResponseWriter, code int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

func writeStatus(w http.ResponseWriter, code int, reason, message string) {
	body, _ := json.Marshal(map[string]any{
		"apiVersion": "v1",
		"kind":       "Status",
		"status":     "Failure",
		"reason":     reason,
		"message":    message,
		"code":       code,
	})
	writeJSON(w, code, body)
}
