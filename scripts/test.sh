#!/usr/bin/env bash
# The whole test suite, as on a fresh machine: installs the Go reference toolchains and the
# real-module corpus the differential tests compare against (ORACLE.md), then runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-go-reference.sh
if [ -x scripts/make-corpus.sh ]; then scripts/make-corpus.sh; fi
swift build --build-tests
swift test "$@"
