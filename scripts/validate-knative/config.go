package main

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	eventingconfig "knative.dev/eventing/pkg/apis/config"
	"knative.dev/eventing/pkg/apis/feature"
	servingconfig "knative.dev/serving/pkg/apis/config"
	autoscalerconfig "knative.dev/serving/pkg/autoscaler/config"
)

// clusterSettings holds the Knative configuration the manifests are validated against:
// Knative's defaults, with any ConfigMap given on the command line replacing its part.
type clusterSettings struct {
	serving  *servingconfig.Config
	eventing *eventingconfig.Config
	features feature.Flags
}

func newClusterSettings() *clusterSettings {
	// Eventing's feature flags have no "or defaults" fallback: without flags in the context
	// every feature reads as disabled, including the ones a real cluster enables by default
	// (delivery-timeout among them). Start from the real defaults.
	flags, err := feature.NewFlagsConfigFromMap(map[string]string{})
	if err != nil {
		panic(fmt.Sprintf("Knative Eventing's default feature flags do not parse: %v", err))
	}
	return &clusterSettings{
		serving:  servingconfig.FromContextOrDefaults(context.Background()),
		eventing: eventingconfig.FromContextOrDefaults(context.Background()),
		features: flags,
	}
}

// load replaces one part of the settings with the ConfigMap in data.
func (s *clusterSettings) load(data []byte) error {
	var cm corev1.ConfigMap
	if err := yaml.UnmarshalStrict(data, &cm); err != nil {
		return fmt.Errorf("not a ConfigMap: %w", err)
	}
	if cm.Kind != "ConfigMap" {
		return fmt.Errorf("kind is %q, want ConfigMap", cm.Kind)
	}
	var err error
	switch cm.Namespace + "/" + cm.Name {
	case "knative-serving/" + servingconfig.FeaturesConfigName:
		s.serving.Features, err = servingconfig.NewFeaturesConfigFromConfigMap(&cm)
	case "knative-serving/" + servingconfig.DefaultsConfigName:
		s.serving.Defaults, err = servingconfig.NewDefaultsConfigFromConfigMap(&cm)
	case "knative-serving/" + autoscalerconfig.ConfigName:
		s.serving.Autoscaler, err = autoscalerconfig.NewConfigFromConfigMap(&cm)
	case "knative-eventing/" + feature.FlagsConfigName:
		s.features, err = feature.NewFlagsConfigFromConfigMap(&cm)
	case "knative-eventing/" + eventingconfig.DefaultsConfigName:
		s.eventing.Defaults, err = eventingconfig.NewDefaultsConfigFromConfigMap(&cm)
	default:
		return fmt.Errorf("ConfigMap %s/%s is not one this tool reads "+
			"(knative-serving: config-features, config-defaults, config-autoscaler; "+
			"knative-eventing: config-features, config-br-defaults)", cm.Namespace, cm.Name)
	}
	if err != nil {
		return fmt.Errorf("ConfigMap %s/%s: %w", cm.Namespace, cm.Name, err)
	}
	return nil
}

// context returns ctx carrying the settings where Knative's SetDefaults and Validate look.
func (s *clusterSettings) context(ctx context.Context) context.Context {
	ctx = servingconfig.ToContext(ctx, s.serving)
	ctx = eventingconfig.ToContext(ctx, s.eventing)
	return feature.ToContext(ctx, s.features)
}
