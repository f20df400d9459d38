#!/usr/bin/env bash
# Installs what building and testing nex needs, when it is missing: the C libraries and nats-server from
# Debian, and the Python tools the tests use as independent cross-checks. Safe to run again.
set -euo pipefail

need_apt=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need_apt+=(nats-server)
pkg-config --exists libnats 2>/dev/null || need_apt+=(libnats-dev)
pkg-config --exists libsodium 2>/dev/null || need_apt+=(libsodium-dev)
pkg-config --exists openssl 2>/dev/null || need_apt+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# issue 14: a real Prometheus scrapes a node in the tests. Debian's prometheus package (it brings promtool) starts
# its daemon when installed; the tests never use that daemon (each starts its own on a free port), so the install
# runs with a policy-rc.d that refuses service starts (a container without systemd otherwise gets a daemon on
# :9090, or a failed postinst). An existing policy-rc.d is left as it is.
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  echo "setup: installing prometheus (with promtool; its service is not started)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  policy=/usr/sbin/policy-rc.d
  made_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    made_policy=yes
  fi
  $sudo apt-get update -qq
  status=0
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null || status=$?
  if [ -n "$made_policy" ]; then $sudo rm -f "$policy"; fi
  [ "$status" -eq 0 ] || { echo "setup: installing prometheus failed" >&2; exit "$status"; }
fi

# Python cross-check tools: jsonschema (schema validation), nkeys + PyNaCl (independent NKey/ed25519/curve code),
# nats-py (an independent object store implementation).
if ! python3 -c 'import jsonschema, nkeys, nacl, rfc3339_validator, nats' >/dev/null 2>&1; then
  echo "setup: installing Python test tools (jsonschema, rfc3339-validator, nkeys, pynacl, nats-py)" >&2
  python3 -m pip install -q --disable-pip-version-check jsonschema rfc3339-validator nkeys pynacl nats-py 2>&1 | grep -v -i 'warning: running pip as' >&2 || true
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: swift is not on PATH; install the Swift 6 toolchain first" >&2
  exit 1
fi
