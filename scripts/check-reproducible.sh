#!/usr/bin/env bash
# Reproducible builds, checked: builds one commit twice, each in a fresh clone in
# its own folder, the second after the first and under another time zone and
# locale, both with the release profile (javadoc jars too, no signing), then
# compares byte for byte every file a release publishes: the main, sources and
# javadoc jars of spi, resolver-dns-srv, agent and resolver-static, their
# flattened poms and the agent's SBOM. Exit status 0 when all are identical.
#
# Usage: bash scripts/check-reproducible.sh [COMMIT]   (default HEAD; only
# committed work is built; KEEP=1 keeps both clones for a closer look, e.g. with
# diffoscope). Needs the JDK and Maven the project builds with; about 1 minute on
# two cores. Reads the local Maven repository, installs nothing.
#
# What a rebuild must match: the JDK's major version (javac's output, Build-Jdk-Spec
# in the manifests) and umask 022 (Maven's jar plugin writes each file's
# permissions into the jar), as Reproducible Central's rebuilds do.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$root" rev-parse --verify "${1:-HEAD}^{commit}")"
modules=(spi resolver-dns-srv agent resolver-static)
work="$(mktemp -d "${TMPDIR:-/tmp}/srv-epmd-reproducible.XXXXXX")"
trap 'if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi' EXIT

# build FOLDER TZ LOCALE: clone the commit into $work/FOLDER and package it.
build() {
  local dir="$work/$1"
  git clone -q --no-checkout "$root" "$dir"
  git -C "$dir" -c advice.detachedHead=false checkout -q "$commit"
  echo "building $commit in $dir (TZ=$2, LC_ALL=$3) at $(date -u +%H:%M:%S)"
  (cd "$dir" && umask 022 && TZ="$2" LC_ALL="$3" mvn -B -ntp -q -Prelease package -Dmaven.test.skip=true \
      -pl "$(IFS=,; echo "${modules[*]}")" -am) > "$work/$1.log" 2>&1 \
    || { tail -40 "$work/$1.log"; echo "the build in $dir failed" >&2; exit 2; }
}

# published FOLDER: the files a release publishes, relative to the clone.
published() {
  (cd "$work/$1" && for m in "${modules[@]}"; do
    ls "$m"/target/*.jar | grep -v '/original-'
    echo "$m/target/.flattened-pom.xml"
  done
  ls agent/target/*-cyclonedx.json) | sort
}

build first UTC C.UTF-8
build second-build-elsewhere Pacific/Kiritimati C

files=$(published first)
[ "$files" = "$(published second-build-elsewhere)" ] || { echo "the two builds published different file sets" >&2; exit 1; }
differ=0
count=0
for f in $files; do
  count=$((count + 1))
  if cmp -s "$work/first/$f" "$work/second-build-elsewhere/$f"; then
    echo "identical  $(sha256sum < "$work/first/$f" | cut -c1-16)  $f"
  else
    echo "DIFFERENT  $f"
    differ=$((differ + 1))
  fi
done
# Sanity: 3 jars and a pom per module, and the SBOM.
[ "$count" -eq $(( ${#modules[@]} * 4 + 1 )) ] || { echo "expected $(( ${#modules[@]} * 4 + 1 )) files, compared $count" >&2; exit 1; }
if [ "$differ" -gt 0 ]; then
  echo "$differ of $count published files differ between two builds of $commit (KEEP=1 keeps them)" >&2
  exit 1
fi
echo "reproducible: all $count published files of $commit are byte-identical in both builds"
