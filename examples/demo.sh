#!/usr/bin/env bash
# make demo: archive the sample article end to end through the replay server, then look a post up.
set -euo pipefail
cd "$(dirname "$0")/.."
archiver=.venv/bin/archiver
out=demo
mkdir -p "$out"
rm -f "$out"/archive.db "$out"/archive.db-* "$out"/replay.url "$out"/archive.wacz "$out"/demo-tsa-root*.pem

# The replay server also plays a demo TSA, not a trusted authority: its key is made now and its
# root written to $out/demo-tsa-root.pem, so the run's manifest gets a time-stamp to verify.
"$archiver" replay --port 0 --demo-tsa "$out/demo-tsa-root.pem" examples/replay \
  >"$out/replay.url" 2>"$out/replay.log" &
replay_pid=$!
trap 'kill "$replay_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -s "$out/replay.url" ] && break
  sleep 0.1
done
reroute=$(head -n 1 "$out/replay.url")
echo "== replay server at $reroute (recordings: examples/replay, made up for the demo)"

tsa=http://demo-tsa.not-a-trusted-authority.invalid/
echo "== archiver archive --tsa $tsa examples/zelensky-stays-in-kyiv.txt (demo TSA, not a trusted authority)"
ARCHIVER_REROUTE="$reroute" "$archiver" archive --db "$out/archive.db" --tsa "$tsa" \
  examples/zelensky-stays-in-kyiv.txt

echo "== archiver lookup pic.twitter.com/ok6JOXl4KA"
"$archiver" lookup --db "$out/archive.db" --format table pic.twitter.com/ok6JOXl4KA

echo "== archiver verify --tsa-roots $out/demo-tsa-root.pem examples/zelensky-stays-in-kyiv.txt"
echo "   (the demo TSA's root is trusted here for the demo only: demo TSA, not a trusted authority)"
"$archiver" verify --db "$out/archive.db" --format table --tsa-roots "$out/demo-tsa-root.pem" \
  examples/zelensky-stays-in-kyiv.txt

echo "== archiver db check: the manifest chain re-hashed, the time-stamp re-verified"
"$archiver" db check --db "$out/archive.db" --tsa-roots "$out/demo-tsa-root.pem"

if command -v openssl >/dev/null 2>&1; then
  echo "== openssl ts -verify, without archiver: the run's manifest time-stamp (demo TSA, not a trusted authority)"
  sqlite3_py='import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
manifest, reply = db.execute("SELECT manifest_sha256, reply_sha256 FROM run_timestamps"
    " WHERE reply_sha256 IS NOT NULL ORDER BY id LIMIT 1").fetchone()
open(sys.argv[2], "wb").write(db.execute("SELECT content FROM blobs WHERE sha256 = ?", (reply,)).fetchone()[0])
print(manifest)'
  digest=$(.venv/bin/python -c "$sqlite3_py" "$out/archive.db" "$out/manifest.tsr")
  openssl ts -verify -digest "$digest" -in "$out/manifest.tsr" \
    -CAfile "$out/demo-tsa-root.pem" -untrusted "$out/demo-tsa-root-signer.pem" 2>/dev/null
fi

echo "== archiver archive examples/kyiv-desk-bluesky.html (a MADE UP Bluesky post, signed with archiver's public DEMO key)"
ARCHIVER_REROUTE="$reroute" "$archiver" archive --db "$out/archive.db" --tsa "$tsa" \
  examples/kyiv-desk-bluesky.html

echo "== archiver verify examples/kyiv-desk-bluesky.html (the proof: checked offline; the DEMO key proves only the demo)"
"$archiver" verify --db "$out/archive.db" --format table examples/kyiv-desk-bluesky.html

echo "== archiver export --out $out/archive.wacz (WACZ: replay it in pywb or ReplayWeb.page)"
"$archiver" export --db "$out/archive.db" --out "$out/archive.wacz"

echo "== the archive is $out/archive.db; explore it with: $archiver serve --db $out/archive.db"
