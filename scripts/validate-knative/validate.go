package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"knative.dev/pkg/apis"
	"sigs.k8s.io/yaml"

	eventingv1 "knative.dev/eventing/pkg/apis/eventing/v1"
	servingv1 "knative.dev/serving/pkg/apis/serving/v1"
)

// knativeObject is what the webhooks call on every Knative resource.
type knativeObject interface {
	apis.Defaultable
	apis.Validatable
	GetName() string
}

// newObject returns an empty object of the Go type that the webhook would decode the
// document into, or an error naming the kinds this tool knows.
func newObject(typeMeta metav1.TypeMeta) (knativeObject, error) {
	switch typeMeta.GroupVersionKind().String() {
	case "serving.knative.dev/v1, Kind=Service":
		return &servingv1.Service{}, nil
	case "eventing.knative.dev/v1, Kind=Broker":
		return &eventingv1.Broker{}, nil
	case "eventing.knative.dev/v1, Kind=Trigger":
		return &eventingv1.Trigger{}, nil
	}
	return nil, fmt.Errorf(
		"apiVersion %q kind %q is not one of serving.knative.dev/v1 Service, "+
			"eventing.knative.dev/v1 Broker or Trigger", typeMeta.APIVersion, typeMeta.Kind)
}

// validateFile checks every document in data and reports each on stdout (valid) or stderr
// (invalid). It returns false when any document is invalid or none was found.
func validateFile(ctx context.Context, path string, data []byte, stdout, stderr io.Writer) bool {
	docs, err := splitDocuments(data)
	if err != nil {
		fmt.Fprintf(stderr, "FAIL %s: %v\n", path, err)
		return false
	}
	if len(docs) == 0 {
		fmt.Fprintf(stderr, "FAIL %s: no YAML documents\n", path)
		return false
	}
	ok := true
	for i, doc := range docs {
		label, warning, err := validateDocument(ctx, doc)
		if err != nil {
			fmt.Fprintf(stderr, "FAIL %s document %d %s: %v\n", path, i+1, label, err)
			ok = false
			continue
		}
		if warning != "" {
			fmt.Fprintf(stdout, "warn %s %s: %s\n", path, label, warning)
		}
		fmt.Fprintf(stdout, "ok   %s %s\n", path, label)
	}
	return ok
}

// validateDocument decodes one document strictly, defaults it and validates it as a create.
// The label names the object for messages, as far as it could be read. Like the webhooks,
// it rejects only error-level findings; warning-level ones come back as a message.
func validateDocument(ctx context.Context, doc []byte) (label, warning string, err error) {
	var typeMeta metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &typeMeta); err != nil {
		return "", "", fmt.Errorf("not a Kubernetes object: %w", err)
	}
	label = typeMeta.Kind
	obj, err := newObject(typeMeta)
	if err != nil {
		return label, "", err
	}
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return label, "", fmt.Errorf("strict decoding: %w", err)
	}
	label = typeMeta.Kind + "/" + obj.GetName()

	ctx = apis.WithinCreate(ctx)
	obj.SetDefaults(ctx)
	findings := obj.Validate(ctx)
	if errs := findings.Filter(apis.ErrorLevel); errs != nil {
		return label, "", errors.New(errs.Error())
	}
	if warnings := findings.Filter(apis.WarningLevel); warnings != nil {
		warning = warnings.Error()
	}
	return label, warning, nil
}

// splitDocuments returns the non-empty YAML documents of a multi-document stream.
func splitDocuments(data []byte) ([][]byte, error) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		if isBlank(doc) {
			continue
		}
		docs = append(docs, doc)
	}
}

// isBlank is true for a document holding only comments and white space.
func isBlank(doc []byte) bool {
	for _, line := range bytes.Split(doc, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			return false
		}
	}
	return true
}
