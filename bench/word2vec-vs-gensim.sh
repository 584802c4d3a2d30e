#!/usr/bin/env bash
# SeqLab's Word2Vec against Debian's gensim 4.2 (apt-get install python3-gensim) on a Spanish text of about
# 990 k words (scripts/get-spanish-long-text.sh), skip-gram, d = 100, window 5, negative 5, min-count 5,
# 5 epochs, with THREADS threads / workers. The runs alternate (SeqLab, gensim, SeqLab, …) so both see the
# same machine; each prints its words/s. Usage: bench/word2vec-vs-gensim.sh [RUNS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
threads=${2:-2}
scripts/get-spanish-long-text.sh data/es-long
dotnet build src/SeqLab.Cli -c Release -v q -nologo >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq "$runs"); do
  ./seqlab embed train --data data/es-long/text.txt --out "$out/v.txt" --force --threads "$threads" --json 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"engine": "seqlab", "threads": '"$threads"', "words": d["corpus_words"], "vocab": d["vocabulary"], "seconds": round(d["seconds"], 2), "words_per_s": round(d["words_per_s"])}))'
  /usr/bin/python3 bench/gensim_word2vec.py data/es-long/text.txt "$threads"
done
# Neighbour quality, beside gensim's (printed in its lines): SeqLab's last vectors on the same probe words.
for w in amor agua imagen archivo; do
  echo "seqlab neighbours of $w: $(./seqlab embed neighbors --vectors "$out/v.txt" --word "$w" --top 5 --json 2>/dev/null \
    | python3 -c 'import json,sys; print(", ".join(n["word"] for n in json.load(sys.stdin)["neighbors"]))')"
done
