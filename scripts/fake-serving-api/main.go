// Command fake-serving-api answers the few Knative Serving API calls that kn makes for
// `kn service describe`, `kn service update` and `kn revision describe|list`, from JSON files,
// so that scripts/check-knative.sh can run the rollout and promotion scripts with the real
// kn and no cluster. It is a test double, not a Kubernetes API server: no controller runs, so
// a status never changes, and every update is recorded instead of applied.
//
//	fake-serving-api --dir FIXTURE --record DIR --addr-file FILE
//
// FIXTURE holds service.json (one Knative Service, with status) and revisions/*.json (one
// Revision each). Each PUT of the Service is written to DIR/update-N.json (N from 1) and
// answered with the object it received. The server listens on a free loopback port, writes
// "host:port" to FILE once it accepts connections, and runs until it is killed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	dir := flag.String("dir", "", "fixture directory with service.json and revisions/*.json")
	record := flag.String("record", "", "directory where updates of the Service are written")
	addrFile := flag.String("addr-file", "", "file that receives host:port once listening")
	flag.Parse()
	if *dir == "" || *record == "" || *addrFile == "" {
		fmt.Fprintln(os.Stderr, "usage: fake-serving-api --dir FIXTURE --record DIR --addr-file FILE")
		os.Exit(2)
	}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("fake-serving-api: listen on loopback: %v", err)
	}
	api := &fakeAPI{fixture: *dir, record: *record}
	if err := os.WriteFile(*addrFile, []byte(listener.Addr().String()), 0o644); err != nil {
		log.Fatalf("fake-serving-api: %v", err)
	}
	err = http.Serve(listener, api)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("fake-serving-api: %v", err)
	}
}
