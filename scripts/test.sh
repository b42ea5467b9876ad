#!/usr/bin/env bash
# The test command: unit tests of every module, then the integration tests in it-tests (real Erlang
# nodes of the machine's OTP 25 and of Debian 13's OTP 27, a real dnsmasq and Unbound, child JVMs with -javaagent).
# OTP 27 is unpacked beside the system's OTP 25 on first use (scripts/ensure-otp.sh, ~5 s; then cached).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-packages.sh
otp27=$(bash scripts/ensure-otp.sh 27)
mvn -B -ntp verify -Dit.otp27="$otp27" "$@"
