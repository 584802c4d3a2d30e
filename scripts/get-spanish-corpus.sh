#!/usr/bin/env bash
# Fetches a real Spanish corpus (~0.9 MB): Debian's fortunes-es quotations, unpacked with
# `apt-get download` + dpkg-deb (no root needed for the download itself, only an apt package list).
# Writes DIR/train.txt (first ~90%) and DIR/test.txt (the rest) for language modelling, and
# DIR/topics-train.tsv / DIR/topics-test.tsv (`topic<TAB>quotation`, every 10th quotation held out)
# for classification. Usage: get-spanish-corpus.sh [DIR]
set -euo pipefail
out=${1:-data/es}
mkdir -p "$out"
if [ -s "$out/train.txt" ] && [ -s "$out/test.txt" ] && [ -s "$out/topics-test.tsv" ]; then echo "$out already has the corpus" >&2; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$work" && { apt-get download fortunes-es >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get download fortunes-es >/dev/null; }; } )
dpkg-deb -x "$work"/fortunes-es_*.deb "$work/x"
dir="$work/x/usr/share/games/fortunes/es"
# The fortune files separate quotations with lines holding only "%"; keep every other line.
find "$dir" -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' | sort | xargs cat | grep -v '^%$' > "$work/all.txt"
lines=$(wc -l < "$work/all.txt")
head -n $((lines * 9 / 10)) "$work/all.txt" > "$out/train.txt"
tail -n +$((lines * 9 / 10 + 1)) "$work/all.txt" > "$out/test.txt"
# One quotation per line, labelled with its file's topic (amistad, arte, ciencia, …); the author
# lines ("-- Name") are dropped so the label must come from what the quotation says.
for f in $(find "$dir" -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' | sort); do
  topic=$(basename "$f" .fortunes)
  awk -v t="$topic" 'BEGIN{q=""} /^%$/ {if (q!="") print t "\t" q; q=""; next} /^[ \t]*--/ {skip=1} { if ($0 ~ /^[ \t]*--/) next; gsub(/\t/," "); gsub(/^ +| +$/,""); if ($0!="") q = (q=="" ? $0 : q " " $0) } END{if (q!="") print t "\t" q}' "$f"
done > "$work/topics.tsv"
awk 'NR % 10 != 0' "$work/topics.tsv" > "$out/topics-train.tsv"
awk 'NR % 10 == 0' "$work/topics.tsv" > "$out/topics-test.tsv"
echo "wrote $out/train.txt ($(wc -w < "$out/train.txt") words) and $out/test.txt ($(wc -w < "$out/test.txt") words)" >&2
