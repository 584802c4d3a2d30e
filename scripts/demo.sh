#!/usr/bin/env bash
# The end-to-end example: fetch a Spanish corpus, train an LSTM language model for 60 s, measure it
# against the unigram baseline, and use it on the lecture's sentence. Usage: scripts/demo.sh [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/runs/demo}
"$root/scripts/get-spanish-corpus.sh" "$root/data/es"
rm -rf "$out"
"$root/seqlab" train --task lm --model lstm --data "$root/data/es/train.txt" --time-budget 60s --out "$out"
echo "== held-out perplexity vs the unigram baseline"
"$root/seqlab" eval --model "$out" --data "$root/data/es/test.txt"
echo "== the lecture's blank"
"$root/seqlab" predict --model "$out" --top 5 --text "Crecí en un pequeño pueblo en los Alpes suizos, rodeado de montañas y lagos. Después de muchos años viajando por el mundo, todavía puedo hablar fluidamente [???]."
echo "== generation"
"$root/seqlab" generate --model "$out" --prompt "La amistad es" --max-tokens 25 --temperature 0.7
