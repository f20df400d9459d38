#!/usr/bin/env bash
# Sets everything up, builds nex in release mode and runs it. Arguments are passed to `nex`; with none it
# runs the main job (until `nex node up` lands: `nex --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product nex >&2
if [ $# -eq 0 ]; then set -- --help; fi
exec .build/release/nex "$@"
