#!/usr/bin/env bash
# make demo: archive the sample article end to end through the replay server, then look a post up.
set -euo pipefail
cd "$(dirname "$0")/.."
archiver=.venv/bin/archiver
out=demo
mkdir -p "$out"
rm -f "$out"/archive.db "$out"/archive.db-* "$out"/replay.url "$out"/archive.wacz

"$archiver" replay --port 0 examples/replay >"$out/replay.url" 2>"$out/replay.log" &
replay_pid=$!
trap 'kill "$replay_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -s "$out/replay.url" ] && break
  sleep 0.1
done
reroute=$(head -n 1 "$out/replay.url")
echo "== replay server at $reroute (recordings: examples/replay, made up for the demo)"

echo "== archiver archive examples/zelensky-stays-in-kyiv.txt"
ARCHIVER_REROUTE="$reroute" "$archiver" archive --db "$out/archive.db" examples/zelensky-stays-in-kyiv.txt

echo "== archiver lookup pic.twitter.com/ok6JOXl4KA"
"$archiver" lookup --db "$out/archive.db" --format table pic.twitter.com/ok6JOXl4KA

echo "== archiver verify examples/zelensky-stays-in-kyiv.txt"
"$archiver" verify --db "$out/archive.db" --format table examples/zelensky-stays-in-kyiv.txt

echo "== archiver archive examples/kyiv-desk-bluesky.html (a MADE UP Bluesky post, signed with archiver's public DEMO key)"
ARCHIVER_REROUTE="$reroute" "$archiver" archive --db "$out/archive.db" examples/kyiv-desk-bluesky.html

echo "== archiver verify examples/kyiv-desk-bluesky.html (the proof: checked offline; the DEMO key proves only the demo)"
"$archiver" verify --db "$out/archive.db" --format table examples/kyiv-desk-bluesky.html

echo "== archiver export --out $out/archive.wacz (WACZ: replay it in pywb or ReplayWeb.page)"
"$archiver" export --db "$out/archive.db" --out "$out/archive.wacz"

echo "== the archive is $out/archive.db; explore it with: $archiver serve --db $out/archive.db"
