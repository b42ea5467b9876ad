#!/usr/bin/env bash
# The demo: an unmodified JInterface program, started with the srv-epmd agent,
# talks to a real epmd-less Erlang/OTP 25 node that it finds through a real DNS
# server (dnsmasq) serving Consul-shaped SRV records on loopback. No epmd runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/ensure-packages.sh
echo "== building the agent"
mvn -B -q -ntp package -DskipTests -pl agent -am

work=$(mktemp -d /tmp/srv-epmd-demo.XXXXXX)
pids=()
cleanup() {
  exec 3>&- 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A port free on 127.0.0.1 for TCP and UDP (read from /proc, no extra tools).
used_ports() {
  local f local_addr
  for f in /proc/net/tcp /proc/net/udp /proc/net/tcp6 /proc/net/udp6; do
    [ -r "$f" ] || continue
    tail -n +2 "$f" | while read -r _ local_addr _; do echo $((16#${local_addr##*:})); done
  done
}
free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    used_ports | grep -qx "$p" || { echo "$p"; return; }
  done
}
dns_port=$(free_port); erl_port=$(free_port); java_port=$(free_port)
domain=demo.service.consul
erl_node=demo-erl@$domain; java_node=demo-java@$domain; cookie=demo-cookie

echo "== DNS: dnsmasq on 127.0.0.1:$dns_port"
/usr/sbin/dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null --user=root \
  --port="$dns_port" --listen-address=127.0.0.1 --bind-interfaces --local-ttl=5 \
  --srv-host="demo-erl.$domain,demo-erl.$domain,$erl_port,0,0" --host-record="demo-erl.$domain,127.0.0.1" \
  --srv-host="demo-java.$domain,demo-java.$domain,$java_port,0,0" --host-record="demo-java.$domain,127.0.0.1" \
  2>"$work/dnsmasq.log" &
pids+=($!)
echo "   SRV demo-erl.$domain -> $erl_port, SRV demo-java.$domain -> $java_port, A -> 127.0.0.1"

echo "== Erlang: $erl_node, -start_epmd false, ERL_DIST_PORT=$erl_port"
erlc -o "$work" it-tests/src/test/erlang/srv_epmd.erl it-tests/src/test/erlang/it_node.erl
printf '{resolv_conf, ""}.\n{hosts_file, ""}.\n{nameserver, {127,0,0,1}, %s}.\n{lookup, [dns]}.\n' "$dns_port" > "$work/inetrc"
mkfifo "$work/erl.in"
(cd "$work" && ERL_DIST_PORT=$erl_port ERL_INETRC="$work/inetrc" exec erl -noshell -name "$erl_node" \
  -setcookie "$cookie" -start_epmd false -epmd_module srv_epmd -pa "$work" -run it_node main \
  <"$work/erl.in" >"$work/erl.out" 2>&1) &
pids+=($!)
exec 3>"$work/erl.in"
for _ in $(seq 100); do grep -q READY "$work/erl.out" && break; sleep 0.1; done
grep -q READY "$work/erl.out" || { cat "$work/erl.out"; echo "Erlang node did not start"; exit 1; }

echo "== Java: DemoApp with -javaagent:agent/target/srv-epmd-agent.jar, ERL_DIST_PORT=$java_port"
jinterface=/usr/lib/erlang/lib/jinterface-1.13.1/priv/OtpErlang.jar
javac -d "$work" -cp "$jinterface" demo/DemoApp.java
ERL_DIST_PORT=$java_port java -javaagent:"$root/agent/target/srv-epmd-agent.jar" \
  -Dsrvepmd.dns.servers=127.0.0.1:$dns_port -cp "$work:$jinterface" \
  DemoApp "$java_node" "$erl_node" "$cookie" >"$work/java.out" 2>&1 &
java_pid=$!
pids+=($java_pid)
for _ in $(seq 150); do grep -q READY "$work/java.out" && break; kill -0 $java_pid 2>/dev/null || break; sleep 0.1; done
sed 's/^/   java| /' "$work/java.out"
grep -q READY "$work/java.out" || { echo "Java program failed"; exit 1; }

echo "== Erlang -> Java: the Erlang node resolves $java_node through SRV and messages it"
echo "send $java_node inbox hello-from-erlang" >&3
wait $java_pid || { sed 's/^/   java| /' "$work/java.out"; echo "Java program failed"; exit 1; }
sed -n '/^READY/,$p' "$work/java.out" | tail -n +2 | sed 's/^/   java| /'
for _ in $(seq 50); do grep -q REPLY "$work/erl.out" && break; sleep 0.1; done
grep REPLY "$work/erl.out" | sed 's/^/   erl | /'
grep -q REPLY "$work/erl.out" || { echo "Erlang got no reply"; exit 1; }

if ss -ltn | awk '{print $4}' | grep -q ':4369$'; then
  echo "note: something on this machine listens on port 4369 (not started by this demo)"
else
  echo "== no epmd: nothing listens on port 4369"
fi
echo "== demo OK"
