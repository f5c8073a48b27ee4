#!/usr/bin/env bash
# Fetches libchdb.so (the ClickHouse engine as a library) from the npm registry into the cache, once.
# Usage: fetch-chdb.sh VERSION CACHE_DIR
set -euo pipefail
version="$1"
dest="$2/chdb-$version"
[[ -f "$dest/libchdb.so" ]] && exit 0
if ! command -v npm >/dev/null; then
  echo "fetch-chdb: npm is required to fetch chDB $version (apt-get install npm, or install Node.js)." >&2
  exit 1
fi
echo "fetch-chdb: fetching @chdb/lib-linux-x64-gnu@$version (about 170 MB, once) ..." >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@chdb/lib-linux-x64-gnu@$version" >/dev/null 2>"$tmp/npm.log") || {
  cat "$tmp/npm.log" >&2; echo "fetch-chdb: npm pack failed" >&2; exit 1; }
tar -xzf "$tmp"/chdb-lib-linux-x64-gnu-"$version".tgz -C "$tmp" package/libchdb.so
mkdir -p "$dest"
mv "$tmp/package/libchdb.so" "$dest/libchdb.so.partial"
mv "$dest/libchdb.so.partial" "$dest/libchdb.so"
echo "fetch-chdb: libchdb.so is at $dest" >&2
