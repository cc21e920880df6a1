#!/usr/bin/env bash
# Installs the Debian packages the `local` provider's real node needs (issue 4), and chromium for the gradebook test. Idempotent: packages already
# installed are left alone; run as root (or through sudo). Nothing here starts a service: klab starts containerd,
# dockerd and the registry itself as plain processes under its state dir (PID 1 need not be systemd).
set -euo pipefail

PKGS=(
  containerd                  # CRI runtime for the kubelet (1.6.x on Debian 12)
  runc                        # OCI runtime used by containerd and dockerd
  containernetworking-plugins # CNI: bridge, host-local, portmap, loopback
  docker.io                   # image builds (docker build / docker import) — daemon started by klab, not systemd
  docker-registry             # the local registry standing in for ECR (127.0.0.1:5000)
  debootstrap                 # the offline Debian rootfs for the python base image
  # (the busybox image is made from Debian's `busybox` .deb, fetched with `apt-get download`, not installed)
  iptables                    # kube-proxy (iptables mode) and CNI portmap/masquerade
  conntrack                   # kube-proxy clears conntrack entries with it
  socat                       # kubectl port-forward through the kubelet
  ethtool
  iproute2
  libc6-dev gcc               # the static pause program
  openssl                     # the node's certificates
  python3-pip                 # `pip download` of the Django sample app's wheels (the image build needs no network)
  chromium                    # headless test of the offline HTML gradebook (klab grade; test/unit/grade-html.test.ts)
  fonts-nanum                 # a Hangul font, so the gradebook's screenshot shows Korean names
)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system: all ${#PKGS[@]} packages present"
else
  echo "install-system: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # --no-install-recommends: docker.io would otherwise pull in extra tooling we never use.
  # policy-rc.d 101 keeps the packages' init scripts from starting daemons at install time.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
