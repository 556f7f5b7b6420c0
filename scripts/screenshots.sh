#!/usr/bin/env bash
# Regenerate docs/screenshots from a demo register, in a real window under Xvfb.
# Needs: apt-get install -y --no-install-recommends xvfb xdotool imagemagick
# Usage: scripts/screenshots.sh            (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A Monday morning, so that the queues and desks have people in them.
export WELCOME_DESK_NOW=2026-11-23T11:20:00+01:00
./target/release/welcome-desk --db "$work/demo.db" demo --days 365 --seed 7 >/dev/null

cat > "$work/shoot.sh" <<'INNER'
#!/usr/bin/env bash
set -u
BIN=$1; DB=$2; OUT=$3
"$BIN" --db "$DB" >/dev/null 2>&1 &
APP=$!
WID=$(xdotool search --sync --name "welcome-desk" | head -1)
sleep 3
xdotool windowfocus --sync "$WID"
# Reception: a returning visitor typed another way brings up candidates.
xdotool mousemove 200 166 click 1; sleep 0.3; xdotool type --delay 40 "Hussain"
xdotool mousemove 568 166 click 1; sleep 0.3; xdotool type --delay 40 "Md Rahim"
sleep 1.5
import -window root "$OUT/reception.png"
# Desk: call the next visitor with F5.
xdotool mousemove 370 40 click 1; sleep 0.8
xdotool mousemove 640 700 click 1; sleep 0.3
xdotool key F5; sleep 1.5
import -window root "$OUT/desk.png"
xdotool mousemove 484 40 click 1; sleep 1.5
import -window root "$OUT/tally.png"
# The waiting-room display opens as a second window.
xdotool mousemove 897 40 click 1; sleep 3
DISP=$(xdotool search --name "^Milano Welcome Center$" | head -1)
import -window "$DISP" "$OUT/display.png"
kill $APP
INNER
chmod +x "$work/shoot.sh"
mkdir -p docs/screenshots
xvfb-run -a -s '-screen 0 1280x800x24' "$work/shoot.sh" \
    "$PWD/target/release/welcome-desk" "$work/demo.db" "$PWD/docs/screenshots"
ls -la docs/screenshots
