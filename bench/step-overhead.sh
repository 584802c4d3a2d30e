#!/usr/bin/env bash
# Small-model training steps per second, SeqLab beside Debian's PyTorch 1.13 on the same data, alternating
# (SeqLab, PyTorch, SeqLab, …) so both see the same machine. Two workloads:
#   - the lab's long-range Transformer classifier (d = 64, 2 pre-LN layers, batch 32; 6 400 examples, cue 10–200
#     tokens before the blank);
#   - a Transformer encoder–decoder reversing symbol sequences (d = 128, 2 + 2 layers, batch 32).
# SeqLab's seconds are `train --json`'s elapsed_s: they include its validation at the last step and the checkpoint
# writes, which the PyTorch loops do not have. Needs: apt-get install python3-torch libopenblas0-pthread (without
# OpenBLAS, Debian's torch falls back to the reference BLAS and runs about 4x slower).
# Usage: bench/step-overhead.sh [RUNS] [STEPS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
steps=${2:-200}
threads=${3:-2}
dotnet build src/SeqLab.Cli -c Release -v q -nologo >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./seqlab data long-range --out "$out/lr.tsv" --examples 6400 --distance 10 --max-distance 200 --seed 3 2>/dev/null
./seqlab data reverse --out "$out/rev.tsv" --examples 10000 --min-length 5 --max-length 20 --symbols 26 --seed 3 2>/dev/null
seqlab_run() { # NAME, then train's arguments
  local name=$1; shift
  rm -rf "$out/m"
  ./seqlab train "$@" --steps "$steps" --eval-interval "$steps" --threads "$threads" --out "$out/m" --json 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"engine": "seqlab", "workload": "'"$name"'", "steps": d["steps"], "seconds": round(d["elapsed_s"], 2), "steps_per_s": round(d["steps"] / d["elapsed_s"], 2)}))'
}
for i in $(seq "$runs"); do
  seqlab_run long-range-classifier --task classify --model transformer --data "$out/lr.tsv" --embed-dim 64 \
    --hidden-size 64 --layers 2 --heads 4 --ff-dim 128 --norm-first --pooling last --dropout 0 --min-count 1 \
    --batch-size 32 --lr 0.005 --warmup 30
  echo "$(/usr/bin/python3 bench/pytorch_step_overhead.py "$out/lr.tsv" "$steps" "$threads") long-range-classifier"
  seqlab_run reversal-seq2seq --task seq2seq --model transformer --data "$out/rev.tsv" --embed-dim 128 \
    --hidden-size 128 --layers 2 --heads 4 --ff-dim 512 --batch-size 32 --min-count 1
  echo "$(/usr/bin/python3 bench/pytorch_seq2seq_steps.py "$out/rev.tsv" "$steps" "$threads") reversal-seq2seq"
done
