#!/usr/bin/env bash
# usage: bash scripts/ensure-otp.sh 27|29
#
# Provides a newer Erlang/OTP beside the system's OTP 25 (which stays the default `erl`) and
# prints its root directory (ROOT/bin/erl, ROOT/lib/jinterface-*/priv/OtpErlang.jar):
#   27: Debian 13 "trixie" (the current stable release), JInterface 1.14.1 - the test command's
#   29: Debian unstable ("sid"), JInterface 1.16                          - scripts/compat.sh's
# The packages are Debian's own builds, fetched with apt under a private configuration (its own
# sources list, package lists, download cache and an empty dpkg status file, so the machine's apt
# and dpkg state are untouched) and unpacked with dpkg -x. They need a newer C library than this
# Debian 12 machine has (glibc 2.38+ against 2.36), so the C libraries of the same release are
# unpacked beside them, and patchelf points the ERTS programs at that dynamic loader and those
# libraries (patchelf: scripts/ensure-packages.sh installs it); bin/erl and bin/start get the new
# root in place of /usr/lib/erlang.
#
# The result lives in $SRVEPMD_OTP_CACHE/otp-N (default /var/cache/srv-epmd/otp-N), outside any
# work tree, and is reused while its READY file is there. Delete that directory to fetch the
# release's newest packages again. Any failure (no network, a package missing, a program that does
# not start) stops this script with one line on stderr and a non-zero status.
set -euo pipefail

die() {
  echo "ensure-otp: $*" >&2
  exit 1
}

want="${1:-}"
case "$want" in
  27) suite=trixie ;;
  29) suite=sid ;;
  *) die "usage: bash scripts/ensure-otp.sh 27|29 (OTP 27: Debian trixie; OTP 29: Debian unstable), not '${want}'" ;;
esac

# What `erl -proto_dist inet_tls` and JInterface need, and the C libraries their programs link.
erlang_packages=(erlang-base erlang-jinterface erlang-asn1 erlang-crypto erlang-public-key erlang-ssl
  erlang-runtime-tools erlang-mnesia)
c_libraries=(libc6 libgcc-s1 libstdc++6 libtinfo6 zlib1g libssl3t64 libzstd1 libsctp1)

cache="${SRVEPMD_OTP_CACHE:-/var/cache/srv-epmd}/otp-$want"
root="$cache/root"
erlang="$root/usr/lib/erlang"

if [ -f "$cache/READY" ]; then
  echo "$erlang"
  exit 0
fi

mkdir -p "$cache" || die "cannot create $cache (set SRVEPMD_OTP_CACHE to a writable directory)"
exec 9>"$cache/.lock"
flock 9 # another run may be filling the same cache
if [ -f "$cache/READY" ]; then
  echo "$erlang"
  exit 0
fi

command -v patchelf >/dev/null \
  || die "patchelf is not installed: apt-get install patchelf (scripts/ensure-packages.sh installs it)"

echo "ensure-otp: fetching OTP $want (Debian $suite) into $cache" >&2
apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts"
: >"$apt_dir/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
  >"$apt_dir/sources.list"
cat >"$apt_dir/apt.conf" <<EOF
Dir::Etc::SourceList "$apt_dir/sources.list";
Dir::Etc::SourceParts "$apt_dir/parts";
Dir::Etc::Preferences "$apt_dir/preferences";
Dir::Etc::PreferencesParts "$apt_dir/parts";
Dir::State::Lists "$apt_dir/lists";
Dir::State::status "$apt_dir/status";
Dir::Cache "$apt_dir";
Dir::Cache::archives "$apt_dir/archives";
APT::Architecture "amd64";
APT::Sandbox::User "root";
Acquire::Languages "none";
EOF
export APT_CONFIG="$apt_dir/apt.conf"

log="$cache/apt.log"
apt-get update --error-on=any >"$log" 2>&1 || die "cannot read Debian $suite's package lists with apt: $(grep -E '^(E|W):' "$log" | head -1); see $log"
debs="$cache/debs"
rm -rf "$debs" && mkdir -p "$debs"
(cd "$debs" && apt-get download "${erlang_packages[@]}" "${c_libraries[@]}") >>"$log" 2>&1 \
  || die "cannot download OTP $want's packages from Debian $suite: $(grep -E '^(E|W):' "$log" | head -1); see $log"

base=$(dpkg-deb -f "$debs"/erlang-base_*.deb Version)
case "$base" in
  *:"$want".*) ;;
  *) die "Debian $suite now has erlang-base $base, not OTP $want: change the release in scripts/ensure-otp.sh" ;;
esac

rm -rf "$root" && mkdir -p "$root"
for deb in "$debs"/*.deb; do
  dpkg -x "$deb" "$root" || die "cannot unpack $deb"
done

lib="$root/usr/lib/x86_64-linux-gnu"
loader="$lib/ld-linux-x86-64.so.2"
[ -x "$loader" ] || die "Debian $suite's libc6 has no $loader"
# Every ERTS program: the new loader, and an RPATH (not RUNPATH) that also serves the libraries
# it loads later (crypto.so's libcrypto). epmd is left alone: the nodes run without it.
for f in "$erlang"/erts-*/bin/* "$erlang"/bin/* "$erlang"/lib/*/bin/*; do
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  [ "$(head -c4 "$f" | tr -d '\0')" = $'\177ELF' ] || continue
  case "$f" in */epmd) continue ;; esac
  patchelf --set-interpreter "$loader" --force-rpath --set-rpath "$lib" "$f" || die "patchelf failed on $f"
done
for f in "$erlang"/bin/erl "$erlang"/bin/start "$erlang"/erts-*/bin/erl "$erlang"/erts-*/bin/start; do
  sed -i "s|^\( *\)ROOTDIR=/usr/lib/erlang\$|\1ROOTDIR=$erlang|" "$f"
done

otp=$(cat "$erlang/releases/$want/OTP_VERSION" 2>/dev/null) || die "the unpacked OTP has no releases/$want/OTP_VERSION"
jar=$(ls "$erlang"/lib/jinterface-*/priv/OtpErlang.jar 2>/dev/null | head -1)
[ -n "$jar" ] || die "erlang-jinterface from Debian $suite has no OtpErlang.jar"
scratch=$(mktemp -d)
status=0
started=$(cd "$scratch" && HOME="$scratch" timeout 60 "$erlang/bin/erl" -noshell -eval \
  'io:format("~s ~p~n", [erlang:system_info(otp_release), application:ensure_all_started(ssl)]), halt().' 2>&1) \
  || status=$?
rm -rf "$scratch"
case "$started" in
  "$want {ok,"*) ;;
  *) die "the unpacked OTP $otp does not start with ssl (exit $status): $started" ;;
esac

jinterface=$(basename "$(dirname "$(dirname "$jar")")")
printf 'otp %s\nerlang-base %s\n%s\nfrom Debian %s, fetched %s\n' "$otp" "$base" "$jinterface" "$suite" "$(date -u +%F)" \
  >"$cache/READY"
echo "ensure-otp: OTP $otp ($jinterface) ready in $erlang" >&2
echo "$erlang"
