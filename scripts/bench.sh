#!/usr/bin/env bash
# Performance run: stock JInterface 1.13.1 + a real epmd against the srv-epmd agent + a real
# DNS server (dnsmasq), and through a real caching resolver (Unbound) in front of it, side by side in
# one run, and ONE table at the end.
#
#   bash scripts/bench.sh            # everything, ~1.5 minutes on 2 cores
#   BENCH_QUICK=1 bash scripts/bench.sh   # shorter settings, for trying the script
#
# Settings (override with the environment):
#   JMH: 1 fork, 3 warm-up iterations x 1 s, 5 measurement iterations x 1 s, average time
#        (BENCH_JMH_OPTS replaces them).
#   End to end: BENCH_FC_REPS first contacts per side (15) on JDK 17 and JDK 25 (BENCH_JDK17, BENCH_JDK25:
#        their homes; a JDK that is absent is left out, and said so), BENCH_CONN_REPS connection-setup JVMs per
#        side (9; each: 300 warm-up + 1500 measured connect+close; fewer proved too noisy) on the default JDK.
#        Stock and agent runs alternate.
# Everything listens on 127.0.0.1 free ports; every process is a child of the Java programs below
# (stopped by their own handles) and the DNS questions go only to the dnsmasq and Unbound they start
# (Unbound refuses every name outside the benchmark's zone and asks only that dnsmasq).
# Not part of the build or of CI: the benchmarks module builds only with -Pbench.
# A/B series of first contacts (agent jars, JVM options, JDKs, stock), alternating, wall + CPU + RSS:
#   java -Dbench.jinterface=... -Dbench.fixtures=it-tests/src/test/erlang -Dbench.childcp=benchmarks/target/classes \
#     -cp benchmarks/target/srv-epmd-benchmarks.jar:$jinterface io.srvepmd.bench.FirstContactAB 15 \
#     stock=stock a="-javaagent:/tmp/a/srv-epmd-agent.jar" b="-javaagent:/tmp/b/srv-epmd-agent.jar"
# (each jar in its own directory under its own name: the manifest's Boot-Class-Path names it). Its stock
# side starts an epmd: run it inside a network namespace of its own (ip netns add NS; ip netns exec NS ip
# link set lo up; ip netns exec NS java ...; ip netns del NS), as this script runs its measurements. A
# variant "@JAVA_HOME ..." runs on another JDK; CPU times come in 10 ms ticks unless -Dbench.timeCommand
# names a finer tool taking GNU time's options (-f "%U %S" -o FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/ensure-packages.sh


jinterface=/usr/lib/erlang/lib/jinterface-1.13.1/priv/OtpErlang.jar
if [ -n "${BENCH_QUICK:-}" ]; then
  jmh_default="-f 1 -wi 1 -w 1s -i 2 -r 1s"; fc_reps=${BENCH_FC_REPS:-5}; conn_reps=${BENCH_CONN_REPS:-2}
else
  jmh_default="-f 1 -wi 3 -w 1s -i 5 -r 1s"; fc_reps=${BENCH_FC_REPS:-15}; conn_reps=${BENCH_CONN_REPS:-9}
fi
jmh_opts=${BENCH_JMH_OPTS:-$jmh_default}

if [ -z "${BENCH_IN_NETNS:-}" ]; then
  echo "== building (mvn -Pbench package -DskipTests, only benchmarks and what it needs)"
  # -pl benchmarks -am: spi, resolver-dns-srv, agent (shaded), benchmarks; test sources are not
  # compiled (maven.test.skip), so work in progress in other modules' tests cannot stop a run.
  mvn -B -q -ntp -Pbench package -DskipTests -Dmaven.test.skip=true -pl benchmarks -am

  # The measurements run in a network namespace of their own (loopback only): their epmd, Erlang nodes
  # and dnsmasq cannot meet anything else on the machine, and the integration tests (which fail when an
  # epmd they could reach runs) may run at the same time. Needs root and iproute2, as the tests' lab does.
  ns="srvepmd-bench-$$"
  ip netns add "$ns"
  trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
  ip netns exec "$ns" ip link set lo up
  BENCH_IN_NETNS=1 ip netns exec "$ns" bash "$0" "$@"
  exit $?
fi

out=${BENCH_OUT:-$root/benchmarks/target/bench-results}
rm -rf "$out"; mkdir -p "$out"
cp_bench="$root/benchmarks/target/srv-epmd-benchmarks.jar:$jinterface"
props=(-Dbench.jinterface="$jinterface" -Dbench.fixtures="$root/it-tests/src/test/erlang"
       -Dbench.agentJar="$root/agent/target/srv-epmd-agent.jar" -Dbench.childcp="$root/benchmarks/target/classes")

echo "== JMH: LookupBenchmark, CachingResolverBenchmark ($jmh_opts)"
# shellcheck disable=SC2086
java "${props[@]}" -cp "$cp_bench" org.openjdk.jmh.Main LookupBenchmark CachingResolverBenchmark $jmh_opts \
  -jvmArgsAppend "-Dbench.jinterface=$jinterface -Dbench.fixtures=$root/it-tests/src/test/erlang" \
  -rf csv -rff "$out/jmh.csv" >"$out/jmh.txt" 2>&1 || { tail -50 "$out/jmh.txt"; exit 1; }
grep -A13 '^Benchmark ' "$out/jmh.txt" | sed 's/^/   /'

echo "== coalescing: 200 threads, one never-seen node, questions counted in dnsmasq's query log"
java "${props[@]}" -cp "$cp_bench" io.srvepmd.bench.Coalescing 200 5 | tee "$out/coalescing.txt" | sed 's/^/   /'

echo "== cache memory: 100,000 cached nodes"
java "${props[@]}" -Xmx1g -cp "$cp_bench" io.srvepmd.bench.CacheHeap 100000 | tee "$out/heap.txt" | sed 's/^/   /'

# First contacts on JDK 17 and JDK 25 (BENCH_JDK17, BENCH_JDK25: their homes), in one alternating series.
jdks=""; labels=""
for j in "17=${BENCH_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}" "25=${BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"; do
  if [ -x "${j#*=}/bin/java" ]; then
    jdks="$jdks $j"; labels="$labels ${j%%=*}"
  else
    echo "   (no JDK ${j%%=*} at ${j#*=}: its first contact is not measured)"
  fi
done
echo "== end to end: first contact x $fc_reps per side on JDK$labels, connection setup x $conn_reps per side, child JVMs"
java "${props[@]}" -Dbench.jdks="$jdks" -cp "$cp_bench" io.srvepmd.bench.EndToEnd "$fc_reps" "$conn_reps" \
  | tee "$out/e2e.txt" | sed 's/^/   /'

echo "== TLS connection setup: Erlang<->Erlang inet_tls vs the agent's TLS vs the agent's plain TCP, x ${BENCH_TLS_REPS:-5} per side"
java "${props[@]}" -Dbench.root="$root" -cp "$cp_bench" io.srvepmd.bench.TlsSetup "${BENCH_TLS_REPS:-5}" \
  | tee "$out/tls.txt" | sed 's/^/   /'

echo
echo "== results ($(nproc) cores, $(java -version 2>&1 | head -1), JMH: $jmh_opts; raw outputs in $out)"
java -cp "$cp_bench" io.srvepmd.bench.Report "$out" | tee "$out/table.md"
