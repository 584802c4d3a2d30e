"""SeqLab's data formats, tokenized exactly as SeqLab does, with the exported vocabulary.

- lm: a text file (or a folder of .txt files), one stream of ids: each non-blank line's tokens, then <eos>; cut into
  windows of seq_len + 1 tokens (input: all but the last, target: all but the first).
- classify: TSV "label<TAB>text" or JSONL {"text": …, "label": …}; each text framed <bos> … <eos>, cut to max_length.
The word tokenizer is SeqLab's: NFC, lowercased if the model was, then words (letters, marks, digits, joined by
' ’ -), numbers such as 3,14 or 12:30, and every other non-space character alone.
"""
import json, os, unicodedata
import torch

PAD, UNK, BOS, EOS = 0, 1, 2, 3


def _is_word_char(ch):  # .NET's [\p{L}\p{M}\p{N}] over UTF-16: a character beyond the BMP is never one
    return ord(ch) <= 0xFFFF and unicodedata.category(ch)[0] in "LMN"


def _is_digit(ch):
    return ord(ch) <= 0xFFFF and unicodedata.category(ch)[0] == "N"


def _is_space(ch):  # .NET's \s: [\f\n\r\t\v\x85\p{Z}]
    return ch in "\f\n\r\t\v\x85" or unicodedata.category(ch)[0] == "Z"


def word_tokens(text, lowercase=True):
    """SeqLab's WordTokenizer, as a scanner over its regex's alternatives, in order."""
    text = unicodedata.normalize("NFC", text)
    if lowercase:
        text = text.lower()
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if _is_space(ch):
            i += 1
            continue
        if _is_digit(ch):  # \p{N}+(?:[.,:]\p{N}+)+
            j = i
            while j < n and _is_digit(text[j]):
                j += 1
            k, groups = j, 0
            while k + 1 < n and text[k] in ".,:" and _is_digit(text[k + 1]):
                k += 1
                while k < n and _is_digit(text[k]):
                    k += 1
                groups += 1
            if groups:
                out.append(text[i:k])
                i = k
                continue
        if _is_word_char(ch):  # [\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*
            j = i
            while j < n and _is_word_char(text[j]):
                j += 1
            while j + 1 < n and text[j] in "'’-" and _is_word_char(text[j + 1]):
                j += 1
                while j < n and _is_word_char(text[j]):
                    j += 1
            out.append(text[i:j])
            i = j
            continue
        out.append(ch)  # \S (a character beyond the BMP is one token too)
        i += 1
    return out


class Text:
    """The exported tokenizer and vocabulary."""

    def __init__(self, folder, config):
        kind = config.get("tokenizer", "word")
        if kind != "word":
            raise SystemExit(f"data.py: this export reads word-tokenized models; this one uses '{kind}'. Train a "
                             "--tokenizer word model in SeqLab to continue it here.")
        self.lowercase = config.get("lowercase", True)
        with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
            self.tokens = json.load(f)["tokens"]
        self.ids = {t: i for i, t in enumerate(self.tokens)}

    def encode(self, text):
        return [self.ids.get(t, UNK) for t in word_tokens(text, self.lowercase)]


def text_files(path):
    if os.path.isdir(path):
        return sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".txt"))
    return [path]


def read_lines(path):
    for file in text_files(path):
        with open(file, encoding="utf-8-sig", newline="") as f:
            for line in f.read().split("\n"):
                yield line.rstrip("\r")


def lm_stream(path, text):
    ids = []
    for line in read_lines(path):
        if line.strip():
            ids += text.encode(line) + [EOS]
    return ids


def lm_windows(stream, seq_len):
    """Non-overlapping windows of seq_len + 1 tokens (the last may be shorter), as SeqLab cuts them."""
    return [stream[s:s + seq_len + 1] for s in range(0, max(0, len(stream) - 1), seq_len)]


def classify_examples(path, text, labels, max_length):
    index, out = {l: i for i, l in enumerate(labels)}, []
    for n, line in enumerate(read_lines(path), 1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            row = json.loads(line)
            label, body = str(row["label"]), row["text"]
        else:
            label, _, body = line.partition("\t")
        if label not in index:
            raise SystemExit(f"data.py: {path}:{n}: label '{label}' is not one of the model's {labels}.")
        ids = [BOS] + text.encode(body)[: max_length - 2] + [EOS]
        out.append((ids, index[label]))
    return out


def pad(rows):
    """(B, T) ids padded with <pad> and the rows' lengths."""
    t = max(len(r) for r in rows)
    return (torch.tensor([r + [PAD] * (t - len(r)) for r in rows]), torch.tensor([len(r) for r in rows]))


def lm_batch(windows):
    inputs, lengths = pad([w[:-1] for w in windows])
    targets, _ = pad([w[1:] for w in windows])
    return inputs, lengths, targets


def classify_batch(examples):
    inputs, lengths = pad([e[0] for e in examples])
    return inputs, lengths, torch.tensor([e[1] for e in examples])
