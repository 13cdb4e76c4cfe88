#!/usr/bin/env bash
# The whole test suite, as on a fresh machine: installs the Go reference toolchains and the
# real-module corpus the differential tests compare against (Docs/Testing.md), then runs `swift test`.
#
# With no arguments the suite runs in three passes: first everything but the timed suites
# (below) and the three end-to-end runs in private namespaces (origin, direct downloads, the
# scan's loopback ecosystem), then the timed suites, then those three alone. They start git
# servers, go and x/mod's checksum database and keep both cores busy for minutes; run beside
# them, the tests that bound a deadline or a wall time measure the machine's load instead of
# GoModKit. Arguments are passed to one `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-go-reference.sh
if [ -x scripts/make-corpus.sh ]; then scripts/make-corpus.sh; fi
swift build --build-tests
if [ $# -gt 0 ]; then
  exec swift test "$@"
fi
end_to_end='namespaceEndToEnd|directDownloadAgainstGo|ScanEcosystemEndToEndTests'
# Suites that bound a deadline, an idle timeout or a wall time: run on their own, after the
# rest, because tests that wait on subprocesses (go, git) occupy the cooperative pool's two
# threads on a 2-core machine, and a watchdog waiting for a thread then fires minutes late.
timed='HTTPTransportTests|HTTPStreamingTests|StreamingDownloadTests|HostileZipCommandTests|DeadlineCommandTests|ProxyListTests'
swift test --skip "$end_to_end|$timed"
swift test --filter "$timed"
swift test --filter "$end_to_end"
