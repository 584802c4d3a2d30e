"""SeqLab's architectures in plain PyTorch, built from the exported config.json, with exactly SeqLab's
state-dict names, so model.safetensors loads with strict=True and gives SeqLab's outputs.

usage: python3 model.py --check [DIR]   load DIR/model.safetensors (DIR: this folder by default) and print the
                                        logits of a fixed input as JSON, to compare with SeqLab's
Written by `seqlab export --pytorch`; families rnn, lstm, gru, transformer; tasks lm, mlm, classify and seq2seq.
"""
import json, math, os, struct, sys

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.stderr.write(f"{os.path.basename(sys.argv[0])}: this Python ({sys.executable}) has no PyTorch; install it "
                     "(Debian: apt-get install python3-torch; elsewhere: pip install torch) and run again.\n")
    sys.exit(2)

PAD = 0  # SeqLab's special ids: <pad> 0, <unk> 1, <bos> 2, <eos> 3

# --- safetensors, read and written by hand (no extra package needed) ---
_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data, out = raw[8 + n:], {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[a:b]), dtype=_DTYPES[e["dtype"]]).reshape(e["shape"])
        out[name] = t.float() if t.is_floating_point() else t
    return out


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        kind = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        blob = t.numpy().tobytes()
        header[name] = {"dtype": kind, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


# --- the encoders ---
class PositionalEncoding(nn.Module):
    """Learned (one vector per position) or the paper's sinusoids (a buffer, not a weight)."""

    def __init__(self, d, max_len, learned):
        super().__init__()
        if learned:
            self.learned = nn.Embedding(max_len, d)
        else:
            self.learned = None
            pos = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
            freq = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
            pe = torch.zeros(max_len, d)
            pe[:, 0::2] = torch.sin(pos * freq)
            pe[:, 1::2] = torch.cos(pos * freq)[:, : d // 2]
            self.register_buffer("pe", pe, persistent=False)

    def forward(self, x):  # (B, T, d)
        t = x.shape[1]
        if self.learned is not None:
            return x + self.learned(torch.arange(t, device=x.device)).unsqueeze(0)
        return x + self.pe[:t].unsqueeze(0)


def recurrent_layer(c, bidirectional):
    """nn.RNN/LSTM/GRU as SeqLab configures it: batch first, dropout between stacked layers only."""
    kind = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[c["family"]]
    extra = {"nonlinearity": "relu" if c.get("relu") else "tanh"} if c["family"] == "rnn" else {}
    layers = c["num_layers"]
    return kind(c["embed_dim"], c["hidden_size"], layers, batch_first=True,
                dropout=c["dropout"] if layers > 1 else 0.0, bidirectional=bidirectional, **extra)


def real_tokens(lengths, t):  # (B, T) bool, true at real tokens
    return torch.arange(t).unsqueeze(0) < lengths.unsqueeze(1)


class TransformerEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["hidden_size"]
        self.d, self.scale = d, math.sqrt(d) if c.get("scale_embeddings", True) else 1.0
        causal = c.get("causal_encoder")
        self.causal = causal if causal is not None else c["task"] == "lm"
        self.positions = PositionalEncoding(d, c["max_length"], c.get("learned_positions", False))
        self.dropout = nn.Dropout(c["dropout"])
        eps = c.get("layer_norm_eps", 1e-5)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d, c["heads"], c["ff_dim"], c["dropout"], activation=c.get("activation", "relu"),
                                       layer_norm_eps=eps, batch_first=True, norm_first=c.get("norm_first", False))
            for _ in range(c["num_layers"]))
        self.norm = nn.LayerNorm(d, eps=eps) if c.get("norm_first", False) else None
        self.embedding_norm = nn.LayerNorm(d, eps=eps) if c.get("embedding_norm", False) else None

    def forward(self, x, lengths):  # (B, T, E) → states (B, T, d), summary (B, d): the mean over real tokens
        t = x.shape[1]
        h = self.positions(x * self.scale)
        if self.embedding_norm is not None:
            h = self.embedding_norm(h)
        h = self.dropout(h)
        padding = None if lengths is None or int(lengths.min()) == t else ~real_tokens(lengths, t)
        mask = torch.triu(torch.full((t, t), float("-inf")), 1) if self.causal else None
        for layer in self.layers:
            h = layer(h, src_mask=mask, src_key_padding_mask=padding)
        if self.norm is not None:
            h = self.norm(h)
        real = torch.ones(h.shape[0], t, 1) if padding is None else (~padding).unsqueeze(-1).float()
        return h, (h * real).sum(1) / real.sum(1)


class RecurrentEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.rnn = recurrent_layer(c, c.get("bidirectional", False))
        self.directions = 2 if c.get("bidirectional", False) else 1

    def forward(self, x, lengths):  # → states (B, T, D·H), summary: the top layer's final state per direction
        t = x.shape[1]
        if lengths is None or int(lengths.min()) == t:
            states, final = self.rnn(x)
        else:
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            out, final = self.rnn(packed)
            states, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=t)
        h = final[0] if isinstance(final, tuple) else final
        top = h[h.shape[0] - self.directions:]
        return states, top.permute(1, 0, 2).reshape(x.shape[0], -1)


def encoder_for(c):
    return TransformerEncoder(c) if c["family"] == "transformer" else RecurrentEncoder(c)


class TransformerDecoder(nn.Module):
    """The encoder–decoder's decoder stack: masked self-attention, attention to the memory, feed-forward."""

    def __init__(self, c):
        super().__init__()
        d = c["hidden_size"]
        self.scale = math.sqrt(d) if c.get("scale_embeddings", True) else 1.0
        self.positions = PositionalEncoding(d, c["max_length"], c.get("learned_positions", False))
        self.dropout = nn.Dropout(c["dropout"])
        eps = c.get("layer_norm_eps", 1e-5)
        self.layers = nn.ModuleList(
            nn.TransformerDecoderLayer(d, c["heads"], c["ff_dim"], c["dropout"], activation=c.get("activation", "relu"),
                                       layer_norm_eps=eps, batch_first=True, norm_first=c.get("norm_first", False))
            for _ in range(c["num_layers"]))
        self.norm = nn.LayerNorm(d, eps=eps) if c.get("norm_first", False) else None
        self.embedding_norm = nn.LayerNorm(d, eps=eps) if c.get("embedding_norm", False) else None
        self.out = d

    def forward(self, y, memory, memory_padding):  # (B, T, E), (B, S, d), (B, S) true = padded → (B, T, d)
        t = y.shape[1]
        h = self.positions(y * self.scale)
        if self.embedding_norm is not None:
            h = self.embedding_norm(h)
        h = self.dropout(h)
        causal = torch.triu(torch.full((t, t), float("-inf")), 1)
        for layer in self.layers:
            h = layer(h, memory, tgt_mask=causal, memory_key_padding_mask=memory_padding)
        return h if self.norm is None else self.norm(h)


class RecurrentDecoder(nn.Module):
    """Luong attention: h_t = RNN(y_t−1); c_t = Σ softmax(h_t · W_k m_s / √H) m_s; output tanh(W_c [c_t; h_t])."""

    def __init__(self, c, memory_size):
        super().__init__()
        h = c["hidden_size"]
        self.rnn = recurrent_layer(c, bidirectional=False)
        self.key = nn.Linear(memory_size, h, bias=False)
        self.combine = nn.Linear(memory_size + h, h)
        self.dropout = nn.Dropout(c["dropout"])
        self.out = h

    def forward(self, y, memory, memory_padding):
        h, _ = self.rnn(self.dropout(y))  # (B, T, H)
        scores = h @ self.key(memory).transpose(1, 2) / math.sqrt(h.shape[-1])  # (B, T, S)
        if memory_padding is not None:
            scores = scores.masked_fill(memory_padding.unsqueeze(1), float("-inf"))
        context = scores.softmax(-1) @ memory  # (B, T, D)
        return torch.tanh(self.combine(self.dropout(torch.cat([context, h], -1))))


# --- the task models ---
class SequenceModel(nn.Module):
    """What every task model starts with (SeqLab's SequenceModel): the embedding and the encoder."""

    def __init__(self, c):
        super().__init__()
        self.embedding = nn.Embedding(c["vocab_size"], c["embed_dim"], padding_idx=PAD)
        self.encoder = encoder_for(c)
        self.dropout = nn.Dropout(c["dropout"])
        self.out = c["hidden_size"] * (2 if c.get("bidirectional") else 1)  # the encoder's state size


class LanguageModel(SequenceModel):
    """embedding → encoder → (transform) → (projection) → decoder, tied to the embedding when tie_weights."""

    def __init__(self, c):
        super().__init__(c)
        out = self.out
        self.act = F.gelu if c.get("activation") == "gelu" else F.relu
        if c.get("head_transform"):
            self.transform = nn.Linear(out, out)
            self.transform_norm = nn.LayerNorm(out, eps=c.get("layer_norm_eps", 1e-5))
        else:
            self.transform = None
        self.projection = None
        if c.get("tie_weights", True):
            if out != c["embed_dim"]:
                self.projection = nn.Linear(out, c["embed_dim"])
            self.decoder = nn.Linear(c["embed_dim"], c["vocab_size"])
            self.decoder.weight = self.embedding.weight
        else:
            self.decoder = nn.Linear(out, c["vocab_size"])

    def forward(self, ids, lengths=None):  # (B, T) → (B, T, V)
        h, _ = self.encoder(self.dropout(self.embedding(ids)), lengths)
        h = self.dropout(h)
        if self.transform is not None:
            h = self.transform_norm(self.act(self.transform(h)))
        if self.projection is not None:
            h = self.projection(h)
        return self.decoder(h)


class SequenceClassifier(SequenceModel):
    """embedding → encoder → pooling (the last state, or mean / max over real tokens) → head."""

    def __init__(self, c):
        super().__init__(c)
        self.head = nn.Linear(self.out, len(c["labels"]))
        self.pooling = c.get("pooling", "last")

    def forward(self, ids, lengths=None):  # (B, T) → (B, C)
        h, last = self.encoder(self.dropout(self.embedding(ids)), lengths)
        real = (torch.ones(h.shape[:2], dtype=torch.bool) if lengths is None else real_tokens(lengths, h.shape[1]))
        if self.pooling == "mean":
            m = real.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1)
        elif self.pooling == "max":
            pooled = h.masked_fill(~real.unsqueeze(-1), float("-inf")).amax(1)
        else:
            pooled = last
        return self.head(self.dropout(pooled))


class Seq2SeqModel(SequenceModel):
    """Source → encoder memory; the output so far (from <bos>) → decoder → generator, tied to the shared
    embedding when tie_weights and the sizes allow."""

    def __init__(self, c):
        super().__init__(c)
        self.decoder = TransformerDecoder(c) if c["family"] == "transformer" else RecurrentDecoder(c, self.out)
        self.generator = nn.Linear(self.decoder.out, c["vocab_size"])
        if c.get("tie_weights", True) and self.decoder.out == c["embed_dim"]:
            self.generator.weight = self.embedding.weight

    def forward(self, source, lengths=None, output=None):  # (B, S), (B), (B, T) → (B, T, V)
        memory, _ = self.encoder(self.embedding(source), lengths)
        padding = None if lengths is None else ~real_tokens(lengths, source.shape[1])
        return self.generator(self.decoder(self.embedding(output), memory, padding))


def build(config):
    """The model config.json describes; a family or task this file does not cover is refused by name."""
    family, task = config.get("family"), config.get("task")
    if family not in ("rnn", "lstm", "gru", "transformer"):
        raise SystemExit(f"model.py: unknown family '{family}' in config.json; this folder is from another SeqLab.")
    if task in ("lm", "mlm"):  # a masked LM is the same stack reading both ways (the encoder is causal for lm only)
        return LanguageModel(config)
    if task == "classify":
        return SequenceClassifier(config)
    if task == "seq2seq":
        return Seq2SeqModel(config)
    raise SystemExit(f"model.py: unknown task '{task}' in config.json (it knows lm, mlm, classify and seq2seq); "
                     "export the model again with this SeqLab.")


def load(folder):
    """The exported model, its weights loaded strictly (every name SeqLab saved, nothing else)."""
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    model = build(config)
    state = load_safetensors(os.path.join(folder, "model.safetensors"))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"model.py: the weights do not match config.json (missing {missing}, unexpected "
                         f"{unexpected}); export the model again.")
    return config, model.eval()


def check_input(config):
    """The fixed input of --check: ids 4, 5, … (wrapping within the vocabulary), 2 rows of 7."""
    v = config["vocab_size"]
    return torch.tensor([[4 + (i * 3 + r) % (v - 4) for i in range(7)] for r in range(2)])


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--check"]
    if "--check" not in sys.argv[1:]:
        raise SystemExit(__doc__)
    folder = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    config, model = load(folder)
    ids = check_input(config)
    with torch.no_grad():  # seq2seq: the first 5 ids are also the output so far
        logits = model(ids, None, ids[:, :5]) if config["task"] == "seq2seq" else model(ids)
    print(json.dumps({"ids": ids.tolist(), "logits": logits.tolist()}))
