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
BIN=$PWD/target/release/welcome-desk
"$BIN" --db "$work/demo.db" demo --days 365 --seed 7 >/dev/null
# One account per role; each signs in with "password NAME".
for account in "Admin admin" "Amina reception" "Bilal mediator" "Chiara coordinator"; do
    set -- $account
    WELCOME_DESK_PASSWORD="password $1" "$BIN" --db "$work/demo.db" staff add --name "$1" --role "$2"
done

cat > "$work/shoot.sh" <<'INNER'
#!/usr/bin/env bash
set -u
BIN=$1; DB=$2; OUT=$3
start() {
    "$BIN" --db "$DB" >/dev/null 2>&1 &
    APP=$!
    WID=$(xdotool search --sync --name "welcome-desk" | head -1)
    sleep 3
    xdotool windowfocus --sync "$WID"
}
sign_in() {
    xdotool mousemove 640 395 click 1; sleep 0.3; xdotool type --delay 30 "$1"
    xdotool mousemove 640 470 click 1; sleep 0.3; xdotool type --delay 30 "password $1"
    xdotool key Return; sleep 2
}
# Reception: a returning visitor typed another way brings up candidates; then the lock.
start; sign_in Amina
xdotool mousemove 200 213 click 1; sleep 0.3; xdotool type --delay 40 "Hussain"
xdotool mousemove 568 213 click 1; sleep 0.3; xdotool type --delay 40 "Md Rahim"
sleep 1.5
import -window root "$OUT/reception.png"
xdotool key ctrl+l; sleep 1
import -window root "$OUT/locked.png"
kill $APP; sleep 1
# Desk: call the next visitor with F5; the waiting-room display opens as a second window.
start; sign_in Bilal
xdotool mousemove 640 760 click 1; sleep 0.3
xdotool key F5; sleep 1.5
import -window root "$OUT/desk.png"
xdotool mousemove 897 40 click 1; sleep 3
DISP=$(xdotool search --name "^Milano Welcome Center$" | head -1)
import -window "$DISP" "$OUT/display.png"
kill $APP; sleep 1
# Coordinator: the tally, then the records screen with the day's audit trail.
start; sign_in Chiara
import -window root "$OUT/tally.png"
xdotool mousemove 347 40 click 1; sleep 1.5
import -window root "$OUT/records.png"
kill $APP; sleep 1
# Administrator: staff accounts.
start; sign_in Admin
import -window root "$OUT/staff.png"
kill $APP
INNER
chmod +x "$work/shoot.sh"
mkdir -p docs/screenshots
xvfb-run -a -s '-screen 0 1280x800x24' "$work/shoot.sh" "$BIN" "$work/demo.db" "$PWD/docs/screenshots"
ls -la docs/screenshots
