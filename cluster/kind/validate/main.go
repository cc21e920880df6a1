// kind-validate: runs kind's own config loading and validation on klab's generated kind configs, without Docker.
//
// `kind create cluster --config F` first loads F (strict YAML decode into kind.x-k8s.io/v1alpha4, defaults,
// conversion: sigs.k8s.io/kind/pkg/internal/apis/config/encoding.Load) and validates it (config.Cluster.Validate);
// only then does it talk to Docker. Those two steps live in kind's internal packages, which Go lets only code under
// sigs.k8s.io/kind/pkg import, hence this module's path (it is never published; see docs/decisions/0007-kind-config-validated-by-kind.md).
//
// kind does not check node labels; kubelet does, when the node starts (too late to be useful). So this program also
// runs the label rules kubelet and the API server apply to --node-labels: the syntax checks from
// k8s.io/apimachinery/pkg/util/validation and kubelet's kubernetes.io/k8s.io namespace rule (k8s.io/kubelet/pkg/apis).
//
// Usage: kind-validate FILE...   Prints one JSON line per file: {"file":…,"ok":bool,"errors":[…],"nodes":N}.
// Exit 0 when every file is valid, 1 when one is not, 2 on usage errors.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	kubeletapis "k8s.io/kubelet/pkg/apis"
	kinderrors "sigs.k8s.io/kind/pkg/errors"
	"sigs.k8s.io/kind/pkg/internal/apis/config/encoding"
)

type result struct {
	File   string   `json:"file"`
	OK     bool     `json:"ok"`
	Errors []string `json:"errors"`
	Nodes  int      `json:"nodes"`
}

func labelErrors(i int, key, value string) []string {
	var out []string
	for _, m := range validation.IsQualifiedName(key) {
		out = append(out, fmt.Sprintf("node %d: label key %q: %s", i, key, m))
	}
	for _, m := range validation.IsValidLabelValue(value) {
		out = append(out, fmt.Sprintf("node %d: label %q value %q: %s", i, key, value, m))
	}
	// kubelet's --node-labels rule (cmd/kubelet/app/options ValidateKubeletFlags): in the kubernetes.io and k8s.io
	// namespaces only kubelet's own labels are allowed.
	ns := ""
	if p := strings.SplitN(key, "/", 2); len(p) == 2 {
		ns = p[0]
	}
	inK8s := ns == "kubernetes.io" || strings.HasSuffix(ns, ".kubernetes.io") || ns == "k8s.io" || strings.HasSuffix(ns, ".k8s.io")
	if inK8s && !kubeletapis.IsKubeletLabel(key) {
		out = append(out, fmt.Sprintf("node %d: label %q: kubelet refuses --node-labels in the kubernetes.io/k8s.io namespaces except %v", i, key, kubeletapis.KubeletLabelNamespaces()))
	}
	return out
}

func check(path string) result {
	r := result{File: path, Errors: []string{}}
	cfg, err := encoding.Load(path)
	if err != nil {
		r.Errors = append(r.Errors, err.Error())
		return r
	}
	r.Nodes = len(cfg.Nodes)
	if err := cfg.Validate(); err != nil {
		if errs := kinderrors.Errors(err); len(errs) > 0 {
			for _, e := range errs {
				r.Errors = append(r.Errors, e.Error())
			}
		} else {
			r.Errors = append(r.Errors, err.Error())
		}
	}
	for i, n := range cfg.Nodes {
		for k, v := range n.Labels {
			r.Errors = append(r.Errors, labelErrors(i, k, v)...)
		}
	}
	r.OK = len(r.Errors) == 0
	return r
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kind-validate FILE...")
		os.Exit(2)
	}
	enc := json.NewEncoder(os.Stdout)
	code := 0
	for _, p := range os.Args[1:] {
		r := check(p)
		if !r.OK {
			code = 1
		}
		_ = enc.Encode(r)
	}
	os.Exit(code)
}
