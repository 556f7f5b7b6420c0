#!/usr/bin/env bash
# Record the clips of the spoken calls: assets/voice/LANG/CLIP.wav for every row of
# scripts/voices.tsv, with espeak-ng (the offline voice Debian ships for every language
# here), trimmed of silence, 16 kHz mono 16-bit, peaks at -3 dB.
#
#   apt-get install -y --no-install-recommends espeak-ng sox
#   scripts/voices.sh            # all languages in the table
#   scripts/voices.sh it en      # only these
set -euo pipefail
cd "$(dirname "$0")/.."
command -v espeak-ng >/dev/null || { echo "voices.sh: install espeak-ng" >&2; exit 1; }
command -v sox >/dev/null || { echo "voices.sh: install sox" >&2; exit 1; }

# espeak-ng's voice per language, and its speed (words per minute): slower than its default
# of 175, because a waiting room is noisy and many listeners are learning the language.
declare -A VOICE=([it]=it [en]=en-gb [es]=es [fr]=fr)
SPEED=140

wanted=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS=$'\t' read -r lang clip text; do
    [[ -z "$lang" || "$lang" == \#* ]] && continue
    if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " == *" $lang "* ]]; then continue; fi
    voice=${VOICE[$lang]:?no espeak-ng voice set for $lang}
    out="assets/voice/$lang/$clip.wav"
    mkdir -p "assets/voice/$lang"
    espeak-ng -v "$voice" -s "$SPEED" -w "$tmp/raw.wav" -- "$text"
    # Trim the silence espeak-ng leaves at both ends: the program puts its own pauses.
    sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$out" \
        silence 1 0.01 0.3% reverse silence 1 0.01 0.3% reverse norm -3
done < scripts/voices.tsv
du -sh assets/voice
