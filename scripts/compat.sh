#!/usr/bin/env bash
# usage: bash scripts/compat.sh
#
# The compatibility matrix: Erlang nodes of OTP 25 (the machine's), 27 (Debian 13) and 29 (Debian
# unstable), each against a Java node with the agent on JInterface 1.13.1, 1.14.1 and 1.16 (the
# JInterface of each of those releases), in four scenarios of the integration tests:
#   Java->Erlang  JavaToErlangTest#pingEchoAndRpcThroughOtpNode  (ping, message round trip, rpc)
#   Erlang->Java  ErlangToJavaTest                               (the node resolves the Java node, messages it)
#   doctor        DoctorTest#aHealthySetupPassesEveryCheck       (run beside that JInterface; the node logs nothing)
#   listing       ListingTest                                    (OtpEpmd.lookupNames from SRV, then a connection)
# Prints a table (Markdown) with the versions of this run, then "N passed, N failed". Not part of the
# test command: it takes about two minutes, and OTP 29 comes from Debian's moving unstable release.
# Exit status 0 when every cell passed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-packages.sh
otp27=$(bash scripts/ensure-otp.sh 27)
otp29=$(bash scripts/ensure-otp.sh 29)

reports=it-tests/target/surefire-reports
log=it-tests/target/compat-mvn.log
rm -rf "$reports"
mkdir -p it-tests/target
echo "compat: running the matrix (Maven's output: $log)" >&2
status=0
mvn -B -ntp -pl it-tests -am verify -Dit.matrix=true -Dit.otp27="$otp27" -Dit.otp29="$otp29" \
  -Dtest='JavaToErlangTest#pingEchoAndRpcThroughOtpNode,ErlangToJavaTest,DoctorTest#aHealthySetupPassesEveryCheck,ListingTest' \
  -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || status=$?

# One "OTP|JInterface|scenario|result" line per case of the surefire reports.
cases=$(for class in JavaToErlangTest ErlangToJavaTest DoctorTest ListingTest; do
  xml="$reports/TEST-io.srvepmd.it.$class.xml"
  [ -f "$xml" ] || continue
  awk -v class="$class" '
    function flush() { if (name != "") print otp "|" ji "|" class "|" result; name = "" }
    /<testcase / {
      flush()
      if (!match($0, /name="[^"]*"/)) next
      name = substr($0, RSTART + 6, RLENGTH - 7)
      if (!match(name, / on OTP [^,]*, JInterface .*$/)) { name = ""; next }
      split(substr(name, RSTART + 8), parts, ", JInterface ")
      otp = parts[1]; ji = parts[2]; result = "pass"
      if ($0 ~ /\/>[[:space:]]*$/) flush()
      next
    }
    /<failure|<error/ { result = "FAIL" }
    /<skipped/ { result = "skipped" }
    /<\/testcase>/ { flush() }
    END { flush() }' "$xml"
done)

echo
echo "Compatibility matrix, $(date -u '+%Y-%m-%d %H:%M UTC'), scripts/compat.sh"
echo
# ensure-otp.sh's READY file: "otp V", "erlang-base DEBIAN-VERSION", "jinterface-V", "from Debian SUITE, DATE".
provided() { sed -n '2p;4p' "${1%/root/usr/lib/erlang}/READY" | paste -sd' ' | sed 's/ from / (/; s/$/)/'; }
echo "- Erlang/OTP: erlang-base $(dpkg-query -W -f='${Version}' erlang-base) (Debian 12, the machine's);" \
  "$(provided "$otp27"); $(provided "$otp29")"
echo "- Java: $(java -version 2>&1 | head -1)"
echo
echo "| OTP node | JInterface (Java node with the agent) | Java→Erlang | Erlang→Java | doctor | listing |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "$cases" | awk -F'|' '
  NF == 4 { key = $1 "|" $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key }; cell[key "|" $3] = $4 }
  END {
    for (i = 1; i <= n; i++) {
      split(order[i], k, "|")
      printf "| %s | %s | %s | %s | %s | %s |\n", k[1], k[2], v(order[i], "JavaToErlangTest"),
        v(order[i], "ErlangToJavaTest"), v(order[i], "DoctorTest"), v(order[i], "ListingTest")
    }
  }
  function v(key, class) { return (key "|" class) in cell ? cell[key "|" class] : "not run" }' | sort -V
passed=$(printf '%s\n' "$cases" | grep -c '|pass$' || true)
failed=$(printf '%s\n' "$cases" | grep -vc '|pass$' || true)
[ -n "$cases" ] || failed=0
echo
echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -ne 36 ]; then
  echo "compat: not every cell passed (Maven exit $status, $passed of 36 cases passed); see $log and $reports" >&2
  exit 1
fi
