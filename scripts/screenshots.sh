#!/usr/bin/env bash
# Regenerate docs/screenshots from a demo register, in a real window under Xvfb, driven by the
# keyboard alone (as reception works), at 1024x600, 1280x800 and 1920x1080.
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
BIN=$1; DB=$2; OUT=$3; SIZE=$4; CFG=$5
export WELCOME_DESK_CONFIG=$CFG
start() {
    "$BIN" --db "$DB" >/dev/null 2>&1 &
    APP=$!
    WID=$(xdotool search --sync --name "^welcome-desk" | head -1)
    sleep 3
    xdotool windowfocus --sync "$WID"
}
keys() { xdotool key --delay 60 "$@"; }
typed() { xdotool type --delay 40 "$1"; }
# The sign-in opens in the name field: name, Tab, password, Enter.
sign_in() { typed "$1"; keys Tab; typed "password $1"; keys Return; sleep 2; }
shot() { import -window root "$OUT/$1-$SIZE.png"; }
# Reception: a returning visitor typed another way brings up candidates; Down points at one.
start; sign_in Amina
typed "Hussain"; keys Tab; typed "Md Rahim"; sleep 1.5; keys Down; sleep 0.5
shot reception
# An empty form and Enter: the error beside its field, and Register still in sight.
keys Escape Escape; sleep 0.3; keys Return; sleep 0.5
shot reception-error
keys ctrl+l; sleep 1
shot locked
kill $APP; sleep 1
# Appointments: a phone booking (F3, the service's letters, the names, the phone, Enter), then
# a check-in in two keys (F2, Enter): the confirmation and the ticket on one screen.
start; sign_in Amina
keys ctrl+2; sleep 1; keys F3; sleep 0.5; typed "ca"; sleep 1.5; keys Tab Tab
typed "Rahman"; keys Tab; typed "Hasina"; sleep 1; keys Tab Tab; typed "+39 333 1234567"
keys Return; sleep 2; keys F2; sleep 1.5; keys Return; sleep 2
shot appointments
kill $APP; sleep 1
# Desk: this PC is set up once as Sportello 7 (by keys), then F5 calls.
start; sign_in Bilal
typed "Sportello 7"; keys Return; sleep 0.5; keys F5; sleep 1.5
shot desk
kill $APP; sleep 1
# The wall screen needs no account and comes back at each start once opened: as if it was
# open when the terminal last stopped.
python3 - "$CFG" true <<'PY'
import json, sys
p, on = sys.argv[1], sys.argv[2] == "true"
s = json.load(open(p))
s["display_open"] = on
json.dump(s, open(p, "w"))
PY
start; sleep 2
DISP=$(xdotool search --name "^Milano Welcome Center$" | head -1)
xdotool windowsize "$DISP" ${SIZE/x/ }; sleep 2
import -window "$DISP" "$OUT/display-$SIZE.png"
kill $APP; sleep 1
python3 - "$CFG" false <<'PY'
import json, sys
p, on = sys.argv[1], sys.argv[2] == "true"
s = json.load(open(p))
s["display_open"] = on
json.dump(s, open(p, "w"))
PY
# Coordinator: the tally, then Ctrl+2 for the records screen with the day's audit trail.
start; sign_in Chiara
shot tally
keys ctrl+2; sleep 1.5
shot records
kill $APP; sleep 1
# Administrator: staff accounts.
start; sign_in Admin
shot staff
kill $APP
INNER
chmod +x "$work/shoot.sh"
mkdir -p docs/screenshots
for size in 1024x600 1280x800 1920x1080; do
    rm -f "$work/terminal-$size.json"
    xvfb-run -a -s "-screen 0 ${size}x24" "$work/shoot.sh" "$BIN" "$work/demo.db" \
        "$PWD/docs/screenshots" "$size" "$work/terminal-$size.json"
done
ls -la docs/screenshots
