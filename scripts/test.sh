#!/usr/bin/env bash
# The test command: unit tests of every module, then the integration tests
# (real OTP 25 nodes, a real dnsmasq and Unbound, child JVMs with -javaagent) in it-tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-packages.sh
mvn -B -ntp verify "$@"
