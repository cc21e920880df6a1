//go:build tools

// The CoreDNS binary of klab's real node is built from this module: `go build -o … github.com/coredns/coredns`.
package tools

import _ "github.com/coredns/coredns"
