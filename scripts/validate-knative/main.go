// Command validate-knative checks rendered Knative manifests with Knative's own API types,
// the way the Knative webhooks would on create: every document is decoded strictly (an
// unknown field is an error), defaulted with SetDefaults and checked with Validate.
//
//	validate-knative [--config FILE]... FILE...
//
// FILE holds one or more YAML documents ("-" reads standard input); each must be a Knative
// Service, Broker or Trigger. --config names a ConfigMap of the cluster (config-features,
// config-defaults or config-autoscaler of knative-serving; config-features or
// config-br-defaults of knative-eventing) whose settings replace Knative's defaults, so that
// features a manifest depends on are validated as the cluster would see them.
//
// Exit status: 0 when every document is valid, 1 when one is not, 2 on a usage error.
// What this cannot see: the webhooks' checks that need a cluster, such as the dry-run pod
// creation of Knative Serving and whether referenced objects exist.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

type fileList []string

func (f *fileList) String() string { return fmt.Sprint(*f) }

func (f *fileList) Set(path string) error {
	*f = append(*f, path)
	return nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("validate-knative", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var configs fileList
	flags.Var(&configs, "config", "ConfigMap YAML of the cluster to validate against (repeatable)")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: validate-knative [--config FILE]... FILE...")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return 2
	}

	settings := newClusterSettings()
	for _, path := range configs {
		data, err := readInput(path, stdin)
		if err == nil {
			err = settings.load(data)
		}
		if err != nil {
			fmt.Fprintf(stderr, "validate-knative: config %s: %v\n", path, err)
			return 2
		}
	}
	ctx := settings.context(context.Background())

	failed := false
	for _, path := range flags.Args() {
		data, err := readInput(path, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "validate-knative: %v\n", err)
			return 2
		}
		if !validateFile(ctx, path, data, stdout, stderr) {
			failed = true
		}
	}
	if failed {
		return 1
	}
	return 0
}

func readInput(path string, stdin io.Reader) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(path)
}
