#!/usr/bin/env bash
# Fetches a longer Spanish text (about 990 k words) for the Word2Vec speed comparison with gensim
# (bench/word2vec-vs-gensim.sh): the Spanish Debian Reference, LibreOffice help and GIMP manual, from
# Debian's debian-reference-es, libreoffice-help-es and gimp-help-es (HTML, by `apt-get download`; no root
# needed); their text lines of four words or more, each distinct line once; then fortunes-es
# (scripts/get-spanish-corpus.sh). Writes DIR/text.txt. Usage: get-spanish-long-text.sh [DIR]
# (python3 reads the HTML; nothing else is needed)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-data/es-long}
mkdir -p "$out"
if [ -s "$out/text.txt" ]; then echo "$out/text.txt is there ($(wc -w < "$out/text.txt") words)" >&2; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkgs=(debian-reference-es libreoffice-help-es gimp-help-es)
( cd "$work" && { apt-get download "${pkgs[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get download "${pkgs[@]}" >/dev/null; }; } )
for d in "$work"/*.deb; do dpkg-deb -x "$d" "$work/x"; done
python3 - "$work/x" "$work/html.txt" <<'PY'
import html, os, re, sys
seen, out = set(), []
for root, _, files in sorted(os.walk(sys.argv[1])):
    for f in sorted(files):
        if not f.endswith(".html"):
            continue
        t = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
        t = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", t)
        for line in html.unescape(re.sub(r"<[^>]+>", "\n", t)).split("\n"):
            line = " ".join(line.split())
            if len(line.split()) >= 4 and line not in seen:
                seen.add(line)
                out.append(line)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
scripts/get-spanish-corpus.sh data/es >/dev/null
cat "$work/html.txt" data/es/train.txt data/es/test.txt > "$out/text.txt"
echo "wrote $out/text.txt ($(wc -w < "$out/text.txt") words)" >&2
