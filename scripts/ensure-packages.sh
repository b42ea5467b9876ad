#!/usr/bin/env bash
# Installs the Debian packages the demo and the tests need, when missing:
# Erlang/OTP 25 (erl, erlc), Debian's JInterface 1.13.1, and dnsmasq (a real DNS server).
set -euo pipefail
need=()
for pkg in erlang-base erlang-jinterface dnsmasq-base maven; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
command -v javac >/dev/null || need+=(default-jdk-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
