#!/usr/bin/env bash
# Fuzzes the parsers that read outside input, with Jazzer (not part of the test
# command, which runs only the regression inputs of every fuzz test).
#
#   bash scripts/fuzz.sh                      list the fuzz tests
#   bash scripts/fuzz.sh TARGET [DURATION]    fuzz one target for DURATION (default 5m)
#   bash scripts/fuzz.sh all [DURATION]       fuzz every target in turn, DURATION each
#
# TARGET is a fuzz test class (NodeNameFuzzTest: each of its @FuzzTest methods in
# turn) or one method (DnsReplyFuzzTest#resolveNode). DURATION is Jazzer's form:
# 30s, 5m, 1h. Inputs that reach new code go to <module>/.cifuzz-corpus/ (not
# committed; later runs start from them); an input that breaks a property is
# written to the test's inputs directory under src/test/resources, where the
# test command replays it from then on: add a named unit test and fix the code.
# Each run's output is kept in <module>/target/fuzz-<Class>-<method>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every fuzz test method, as "module path/Class.java method".
fuzz_tests() {
    grep -rl --include='*FuzzTest.java' '@FuzzTest' -- */src/test/java | sort | while read -r file; do
        grep -A3 '@FuzzTest' "$file" | sed -n 's/^ *void \([A-Za-z0-9_]*\)(.*/\1/p' | while read -r method; do
            echo "${file%%/src/*} $file $method"
        done
    done
}

fuzz_one() { # module file method duration
    local module=$1 class method=$3 duration=$4 log
    class=$(basename "$2" .java)
    log="$module/target/fuzz-$class-$method.log"
    mkdir -p "$module/target"
    echo "== fuzzing $class#$method ($module) for $duration; output in $log"
    local status=0
    # Jazzer's hooks (bug detectors, comparison tracing) are on, unlike in the test command.
    # JUnit's @Timeout bounds one input (Jazzer passes it to libFuzzer as -timeout); JUnit's own
    # timeout would bound the whole fuzzing run, which is one JUnit invocation: turned off here.
    # Coverage is also taken in dnsjava, the codec every DNS reply passes through, so the fuzzer
    # learns the wire format (by default Jazzer instruments only io.srvepmd, the class directories).
    JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" JAZZER_INSTRUMENT='io.srvepmd.**,org.xbill.DNS.**' \
        mvn -B -ntp -pl "$module" -am test \
        -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.hooks=true \
        -Djunit.jupiter.execution.timeout.mode=disabled </dev/null >"$log" 2>&1 || status=$?
    # libFuzzer's own summary: the last status line (executions, coverage, corpus) and the run count.
    grep -E '^#[0-9]+[[:space:]]+(pulse|REDUCE|NEW|DONE|INITED)' "$log" | tail -1 || true
    grep -E '^Done [0-9]+ runs' "$log" | tail -1 || true
    if [ "$status" -ne 0 ]; then
        echo "!! $class#$method: a finding or a failure; see $log"
        grep -E 'FuzzTestFindingException|crash-|Test unit written' "$log" | head -5 || true
        return "$status"
    fi
}

target=${1:-}
duration=${2:-5m}
if [ -z "$target" ]; then
    echo "fuzz tests (bash scripts/fuzz.sh TARGET [DURATION]):"
    fuzz_tests | while read -r module file method; do echo "  $(basename "$file" .java)#$method  ($module)"; done
    exit 0
fi
class=${target%%#*}
method=
[[ "$target" == *#* ]] && method=${target#*#}
found=0
failed=()
while read -r module file m; do
    if [ "$class" = all ] || { [ "$(basename "$file" .java)" = "$class" ] && { [ -z "$method" ] || [ "$m" = "$method" ]; }; }; then
        found=1
        fuzz_one "$module" "$file" "$m" "$duration" || failed+=("$(basename "$file" .java)#$m")
    fi
done < <(fuzz_tests)
if [ "$found" -eq 0 ]; then
    echo "no fuzz test '$target'; run bash scripts/fuzz.sh without arguments for the list" >&2
    exit 64
fi
if [ "${#failed[@]}" -gt 0 ]; then
    echo "findings or failures in: ${failed[*]}" >&2
    exit 1
fi
