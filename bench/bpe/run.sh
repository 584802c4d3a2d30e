#!/usr/bin/env bash
# Byte-level BPE: SeqLab beside Hugging Face tokenizers (Rust, via the npm package), on the same text, vocabulary
# size and machine, in one run. Training time, encoding speed with one thread and with all, and compression (tokens
# per word) on held-out text.
#   bench/bpe/run.sh [TRAIN.txt] [TEST.txt]        # default: fortunes-es (scripts/get-spanish-corpus.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
train=${1:-$root/data/es/train.txt}
test=${2:-$root/data/es/test.txt}
[ -f "$train" ] || "$root/scripts/get-spanish-corpus.sh" "$root/data/es" >&2
if [ ! -d "$here/node_modules/tokenizers" ]; then
  (cd "$here" && npm install --no-save --silent tokenizers@0.23.2 >&2)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
seqlab="$root/seqlab"

hf1=$(cd "$here" && RAYON_NUM_THREADS=1 node hf.js "$train" "$test" "$out/hf.json")
hfn=$(cd "$here" && node hf.js "$train" "$test" "$out/hf.json")
vocab=$(echo "$hf1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["vocab_size"])')
# SeqLab at Hugging Face's vocabulary size (its default trainer stops at 30 000, or when no pair is left).
st=$("$seqlab" tokenizer train --data "$train" --vocab-size "$vocab" --out "$out/seqlab.json" --force --json 2>/dev/null)
# Speed on the whole training text, compression on the held-out text (as hf.js does).
s1=$("$seqlab" tokenizer encode --tokenizer "$out/seqlab.json" --data "$train" --threads 1 --json 2>/dev/null)
sn=$("$seqlab" tokenizer encode --tokenizer "$out/seqlab.json" --data "$train" --json 2>/dev/null)
sc=$("$seqlab" tokenizer encode --tokenizer "$out/seqlab.json" --data "$test" --threads 1 --json 2>/dev/null)

python3 - "$hf1" "$hfn" "$st" "$s1" "$sn" "$sc" "$(nproc)" <<'PY'
import json, sys
hf1, hfn, st, s1, sn, sc = (json.loads(a) for a in sys.argv[1:7])
cores = sys.argv[7]
rows = [
    ("vocabulary", f"{hf1['vocab_size']:,}", f"{st['vocab_size']:,}", ""),
    ("training, s", f"{hf1['train_seconds']:.2f}", f"{st['seconds']:.2f}", f"{st['seconds'] / hf1['train_seconds']:.2f}× the time"),
    ("encoding, 1 thread, tokens/s", f"{hf1['tokens_per_s']:,.0f}", f"{s1['tokens_per_s']:,.0f}", f"{s1['tokens_per_s'] / hf1['tokens_per_s']:.2f}×"),
    (f"encoding, {cores} threads, tokens/s", f"{hfn['tokens_per_s']:,.0f}", f"{sn['tokens_per_s']:,.0f}", f"{sn['tokens_per_s'] / hfn['tokens_per_s']:.2f}×"),
    ("tokens per word (held out)", f"{hf1['tokens_per_word']:.3f}", f"{sc['tokens_per_word']:.3f}", f"{(sc['tokens_per_word'] / hf1['tokens_per_word'] - 1) * 100:+.1f}%"),
]
print(f"{'':32} {'Hugging Face':>14} {'SeqLab':>12}  SeqLab vs HF")
for name, a, b, r in rows:
    print(f"{name:32} {a:>14} {b:>12}  {r}")
PY
