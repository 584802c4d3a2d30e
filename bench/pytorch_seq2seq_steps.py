"""PyTorch 1.13 (Debian) beside `seqlab train --task seq2seq`: training steps per second of a Transformer
encoder-decoder (d = 128, 2 + 2 post-LN layers, 4 heads, feed-forward 512, sinusoidal positions, dropout 0.1, tied
output, batch 32, AdamW 1e-3, 100 warm-up steps) reversing symbol sequences, on the same TSV (source TAB target).
usage: /usr/bin/python3 bench/pytorch_seq2seq_steps.py DATA.tsv STEPS THREADS  -> one JSON line"""
import json, math, random, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

path, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)
random.seed(1)
rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if "\t" in l]
vocab = {"<pad>": 0, "<bos>": 1, "<eos>": 2}
for s, t in rows:
    for w in (s + " " + t).split():
        vocab.setdefault(w, len(vocab))
pairs = [([vocab[w] for w in s.split()], [vocab[w] for w in t.split()]) for s, t in rows]
D, V = 128, len(vocab)


def pe(n):
    p = torch.zeros(n, D)
    pos = torch.arange(n).unsqueeze(1)
    div = torch.exp(torch.arange(0, D, 2) * (-math.log(10000.0) / D))
    p[:, 0::2], p[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
    return p


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D, padding_idx=0)
        self.register_buffer("pe", pe(256))
        self.t = nn.Transformer(D, 4, 2, 2, 512, dropout=0.1, batch_first=True)

    def forward(self, src, tgt_in):
        e = lambda x: self.emb(x) * math.sqrt(D) + self.pe[: x.shape[1]]
        mask = self.t.generate_square_subsequent_mask(tgt_in.shape[1])
        h = self.t(e(src), e(tgt_in), tgt_mask=mask, src_key_padding_mask=src == 0,
                   tgt_key_padding_mask=tgt_in == 0, memory_key_padding_mask=src == 0)
        return h @ self.emb.weight.T


def pad(seqs):
    x = torch.zeros(len(seqs), max(map(len, seqs)), dtype=torch.long)
    for i, s in enumerate(seqs):
        x[i, : len(s)] = torch.tensor(s)
    return x


model = Seq2Seq()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100))
model.train()
start = time.perf_counter()
for step in range(steps):
    batch = random.sample(pairs, 32)
    src = pad([s for s, _ in batch])
    tgt_in = pad([[1] + t for _, t in batch])
    tgt_out = pad([t + [2] for _, t in batch])
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.reshape(-1, V), tgt_out.reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
seconds = time.perf_counter() - start
print(json.dumps({"engine": f"pytorch-{torch.__version__}", "threads": threads, "steps": steps,
                  "seconds": round(seconds, 2), "steps_per_s": round(steps / seconds, 2),
                  "final_loss": round(loss.item(), 3)}))
