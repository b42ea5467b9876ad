#!/usr/bin/env bash
# Installs the Debian packages the demo and the tests need, when missing:
# Erlang/OTP 25 (erl, erlc) with its ssl application (TLS distribution; erlang-ssl pulls in crypto and
# public_key), openssl (the TLS tests make their certificates with it), Debian's JInterface 1.13.1,
# dnsmasq (a real DNS server), Unbound (a real caching resolver in front of it), iproute2 (network
# namespaces for the multi-host tests), patchelf (for the newer OTP releases scripts/ensure-otp.sh
# unpacks), GnuPG (the release test signs with a throwaway key) and Node.js with npm; then the npm
# packages of the deployment validator (deploy/validate), from its lock file.
# No package's service is started: the tests start their own dnsmasq and Unbound on free
# loopback ports (a system-wide Unbound would fetch its root trust anchor from the Internet).
set -euo pipefail
need=()
for pkg in erlang-base erlang-ssl erlang-jinterface dnsmasq-base unbound maven iproute2 openssl patchelf gnupg; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
command -v javac >/dev/null || need+=(default-jdk-headless)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    # invoke-rc.d asks this script whether a package may start its service: 101 says no.
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
validate="$(cd "$(dirname "$0")/.." && pwd)/deploy/validate"
if [ ! -f "$validate/node_modules/.package-lock.json" ] \
    || [ "$validate/package-lock.json" -nt "$validate/node_modules/.package-lock.json" ]; then
  echo "installing: the deployment validator's npm packages (deploy/validate)"
  npm ci --prefix "$validate" --no-audit --no-fund --loglevel=error
fi
