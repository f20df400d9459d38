#!/usr/bin/env bash
# Sets everything up, builds nex in release mode and runs it. Arguments are passed to `nex`; with none it
# runs the main job: `nex node up` on its embedded default (a local nats-server with JetStream is started
# when none is configured or listening on 127.0.0.1:4222, and the native nexlet runs inside the node).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product nex >&2
if [ $# -eq 0 ]; then set -- node up; fi
exec .build/release/nex "$@"
