"""PyTorch 1.13 (Debian) beside `seqlab train`: training steps per second of the lab's long-range Transformer
classifier (d = 64, 2 pre-LN layers, 4 heads, feed-forward 128, sinusoidal positions, the last position read out,
batch 32, AdamW 5e-3 with 30 warm-up steps, no dropout), on the same TSV, with batches of similar length.
usage: /usr/bin/python3 bench/pytorch_step_overhead.py DATA.tsv STEPS THREADS  -> one JSON line"""
import json, math, random, re, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

path, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)
random.seed(1)
tok = lambda s: re.findall(r"\w+|[^\w\s]", s.lower())
rows = [l.rstrip("\n").split("\t", 1) for l in open(path, encoding="utf-8") if "\t" in l]
labels = sorted({r[0] for r in rows})
words = {}
for _, t in rows:
    for w in tok(t):
        words.setdefault(w, len(words) + 2)  # 0 pad, 1 unk
data = [([words[w] for w in tok(t)], labels.index(y)) for y, t in rows]
# Batches of similar length, as SeqLab's --length-buckets: sort by length, cut into batches, shuffle the batches.
order = sorted(range(len(data)), key=lambda i: len(data[i][0]))
batches = [order[i:i + 32] for i in range(0, len(order), 32)]
random.shuffle(batches)
D, V, MAXLEN = 64, len(words) + 2, 512


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D, padding_idx=0)
        pe = torch.zeros(MAXLEN, D)
        pos = torch.arange(MAXLEN).unsqueeze(1)
        div = torch.exp(torch.arange(0, D, 2) * (-math.log(10000.0) / D))
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe)
        layer = nn.TransformerEncoderLayer(D, 4, 128, dropout=0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(D)
        self.head = nn.Linear(D, len(labels))

    def forward(self, x, lengths):
        h = self.emb(x) * math.sqrt(D) + self.pe[: x.shape[1]]
        h = self.norm(self.enc(h, src_key_padding_mask=x == 0))
        return self.head(h[torch.arange(x.shape[0]), lengths - 1])  # the last real position


model = Classifier()
opt = torch.optim.AdamW(model.parameters(), lr=5e-3)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 30))
start = time.perf_counter()
for step in range(steps):
    b = batches[step % len(batches)]
    T = max(len(data[i][0]) for i in b)
    x = torch.zeros(len(b), T, dtype=torch.long)
    for r, i in enumerate(b):
        x[r, : len(data[i][0])] = torch.tensor(data[i][0])
    lengths = torch.tensor([len(data[i][0]) for i in b])
    y = torch.tensor([data[i][1] for i in b])
    loss = F.cross_entropy(model(x, lengths), y)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
seconds = time.perf_counter() - start
print(json.dumps({"engine": f"pytorch-{torch.__version__}", "threads": threads, "steps": steps,
                  "seconds": round(seconds, 2), "steps_per_s": round(steps / seconds, 2),
                  "final_loss": round(loss.item(), 3)}))
