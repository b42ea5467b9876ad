#!/usr/bin/env bash
# Soak run: for the given minutes (30 unless told), an ordinary JInterface program with
# -javaagent connects and disconnects all the time to three epmd-less Erlang nodes (OTP 25) found
# through a real dnsmasq: short-lived OtpNode and OtpSelf with random rpc-... names (ping; connect,
# rpc, close), a mailbox talking to the nodes' echo process, lookups of names that do not exist.
# Every 3 minutes dnsmasq stops for 40 s (stale answers must carry every connection through) and a
# node moves (restarted on a new port, its SRV record changed). Every 30 s it prints the program's
# heap used after a full GC, open file descriptors, live threads and operations; at the end a
# verdict: exit 0 when flat (see benchmarks/src/main/java/io/srvepmd/bench/SoakVerdict.java) and no
# operation failed while DNS was down, 1 otherwise.
#
#   bash scripts/soak.sh          # 30 minutes
#   bash scripts/soak.sh 60       # an hour
#   SOAK_AGENT_JAR=/tmp/old/srv-epmd-agent.jar bash scripts/soak.sh 10   # another build of the agent
#
# Not part of the test command: the benchmarks module builds only with -Pbench. The run happens in a
# network namespace of its own (loopback only), so tests may run meanwhile; needs root and iproute2.
# It runs on copies of the jars (under benchmarks/target/soak/run-*), so a rebuild meanwhile cannot
# disturb it. The output is also kept in benchmarks/target/soak/soak-*.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
minutes=${1:-30}
case "$minutes" in
  '' | *[!0-9]* | 0*) echo "soak: the duration must be whole minutes above 0, not '$minutes' (e.g. bash scripts/soak.sh 30)" >&2; exit 64 ;;
esac

if [ -z "${SOAK_IN_NETNS:-}" ]; then
  bash scripts/ensure-packages.sh
  echo "== building (mvn -Pbench package, only benchmarks and what it needs)"
  mvn -B -q -ntp -Pbench package -DskipTests -Dmaven.test.skip=true -pl benchmarks -am
  run="$root/benchmarks/target/soak/run-$$"
  rm -rf "$run"; mkdir -p "$run"
  cp "${SOAK_AGENT_JAR:-agent/target/srv-epmd-agent.jar}" "$run/srv-epmd-agent.jar"
  cp benchmarks/target/srv-epmd-benchmarks.jar "$run/"
  cp -r benchmarks/target/classes "$run/childcp"
  ns="srvepmd-soak-$$"
  ip netns add "$ns"
  trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
  ip netns exec "$ns" ip link set lo up
  SOAK_IN_NETNS=1 SOAK_RUN="$run" ip netns exec "$ns" bash "$0" "$@"
  exit $?
fi

jinterface=/usr/lib/erlang/lib/jinterface-1.13.1/priv/OtpErlang.jar
log="$root/benchmarks/target/soak/soak-$(date -u +%Y%m%dT%H%M%SZ).txt"
set +e
java -Dbench.jinterface="$jinterface" -Dbench.fixtures="$root/it-tests/src/test/erlang" \
  -Dbench.agentJar="$SOAK_RUN/srv-epmd-agent.jar" -Dbench.childcp="$SOAK_RUN/childcp" \
  -cp "$SOAK_RUN/srv-epmd-benchmarks.jar:$jinterface" io.srvepmd.bench.Soak "$minutes" | tee "$log"
status=${PIPESTATUS[0]}
echo "(kept in $log)"
exit "$status"
