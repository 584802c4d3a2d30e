"""SeqLab's data formats, tokenized exactly as SeqLab does, with the exported vocabulary.

- lm: a text file (or a folder of .txt files), one stream of ids: each non-blank line's tokens, then <eos>; cut into
  windows of seq_len + 1 tokens (input: all but the last, target: all but the first).
- mlm: the lm windows, masked as BERT (and SeqLab) mask them.
- seq2seq: TSV "source<TAB>target" or JSONL {"source": …, "target": …}; the target framed <bos> … <eos>.
- classify: TSV "label<TAB>text" or JSONL {"text": …, "label": …}; each text framed <bos> … <eos>, cut to max_length.
The word tokenizer is SeqLab's: NFC, lowercased if the model was, then words (letters, marks, digits, joined by
' ’ -), numbers such as 3,14 or 12:30, and every other non-space character alone. The byte-level BPE is SeqLab's
tokenizer.json: GPT-2's pre-tokenizer pattern, then the merges in the order they were learned. The char tokenizer
is one token per grapheme cluster (the regex module's \\X, as .NET's StringInfo).
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


def char_tokens(text, lowercase=False):
    """SeqLab's char tokenizer: NFC, lowercased if the model was, then one token per grapheme cluster (UAX #29, what
    .NET's StringInfo splits into), with \\r\\n, \\r and \\t read as a space. Python's standard library has no
    grapheme clusters; the regex module's \\X does (Debian: python3-regex)."""
    try:
        import regex
    except ImportError:
        raise SystemExit("data.py: a char model needs Python's regex module for grapheme clusters: "
                         "sudo apt-get install python3-regex (or pip install regex)")
    text = unicodedata.normalize("NFC", text)
    if lowercase:
        text = text.lower()
    return [" " if g in ("\r\n", "\r", "\t") else g for g in regex.findall(r"\X", text)]


def _byte_table():
    """GPT-2's byte → printable character table (printable bytes map to themselves, the others above U+0100)."""
    printable = set(range(ord("!"), ord("~") + 1)) | set(range(ord("¡"), ord("¬") + 1)) | set(range(ord("®"), 256))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


_BYTES = _byte_table()


def _letter(ch):
    return ord(ch) <= 0xFFFF and unicodedata.category(ch)[0] == "L"


def _number(ch):
    return ord(ch) <= 0xFFFF and unicodedata.category(ch)[0] == "N"


def byte_level_words(text):
    """GPT-2's pre-tokenizer pattern, 's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+, as a scanner
    with .NET's character classes; each word comes back as byte-level characters."""
    out, i, n = [], 0, len(text)
    while i < n:
        for c in ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d"):
            if text.startswith(c, i):
                out.append(c)
                i += len(c)
                break
        else:
            j = i + 1 if text[i] == " " and i + 1 < n else i
            for kind in (_letter, _number, lambda ch: not (_is_space(ch) or _letter(ch) or _number(ch))):
                if j < n and kind(text[j]):
                    k = j
                    while k < n and kind(text[k]):
                        k += 1
                    out.append(text[i:k])
                    i = k
                    break
            else:  # whitespace: the run, less its last character when a non-space follows it
                k = i
                while k < n and _is_space(text[k]):
                    k += 1
                if k < n and k - i > 1:
                    k -= 1
                out.append(text[i:k])
                i = k
    return ["".join(_BYTES[b] for b in w.encode("utf-8", "ignore")) for w in out]


class Bpe:
    """SeqLab's byte-level BPE (its tokenizer.json): each word's symbols merged by the earliest-learned pair."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            model = json.load(f)["model"]
        merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
        self.ranks = {m: r for r, m in enumerate(merges)}
        self.cache = {}

    def word(self, w):
        if w in self.cache:
            return self.cache[w]
        parts = list(w)
        while len(parts) > 1:
            best = min((self.ranks.get((parts[i], parts[i + 1]), 1 << 60), i) for i in range(len(parts) - 1))
            if best[0] == 1 << 60:
                break
            left, right = parts[best[1]], parts[best[1] + 1]
            merged, i = [], 0
            while i < len(parts):
                if i + 1 < len(parts) and parts[i] == left and parts[i + 1] == right:
                    merged.append(left + right)
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        self.cache[w] = parts
        return parts

    def tokens(self, text):
        return [p for w in byte_level_words(text) for p in self.word(w)]


class WordPiece:
    """BERT's WordPiece as Hugging Face runs it (SeqLab's WordPieceTokenizer): clean, space out CJK, strip accents
    and lowercase as configured, split on whitespace and punctuation, then the greedy longest match with "##".
    Special tokens written in the text stay whole; they and [UNK] come out under SeqLab's names."""

    CJK = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
           (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            root = json.load(f)
        self.vocab = set(root["model"]["vocab"])
        norm = root["normalizer"]
        self.lowercase = norm.get("lowercase", True)
        strip = norm.get("strip_accents")
        self.strip = self.lowercase if strip is None else strip
        self.chinese = norm.get("handle_chinese_chars", True)
        unk = root["model"]["unk_token"]
        template = root["post_processor"]["single"]
        cls, sep = template[0]["SpecialToken"]["id"], template[-1]["SpecialToken"]["id"]
        pad = root["padding"]["pad_token"]
        mask = [t["content"] for t in root["added_tokens"] if t["content"] not in (unk, cls, sep, pad)][0]
        self.special = {unk: "<unk>", cls: "<bos>", sep: "<eos>", pad: "<pad>", mask: "<mask>"}

    def _normalize(self, text):
        out = []
        for ch in text:
            cat = unicodedata.category(ch)
            if ch in "\x00\ufffd" or (ch not in "\t\n\r" and cat[0] == "C"):
                continue
            if ch in "\t\n\r" or ch.isspace() or cat == "Zs":
                out.append(" ")
            elif self.chinese and any(a <= ord(ch) <= b for a, b in self.CJK):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        s = "".join(out)
        if self.strip:
            s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
        return s.lower() if self.lowercase else s

    @staticmethod
    def _punctuation(ch):
        o = ord(ch)
        return 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126 or unicodedata.category(ch)[0] == "P"

    def _pieces(self, word):
        if len(word) > 100:
            return ["<unk>"]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start and (("##" if start else "") + word[start:end]) not in self.vocab:
                end -= 1
            if end == start:
                return ["<unk>"]
            piece = ("##" if start else "") + word[start:end]
            pieces.append(self.special.get(piece, piece))
            start = end
        return pieces

    def tokens(self, text):
        out, i = [], 0
        while i < len(text):  # special tokens are matched on the raw text, the earliest (then longest) first
            hits = [(text.find(s, i), -len(s), s) for s in self.special if text.find(s, i) >= 0]
            at, _, which = min(hits) if hits else (len(text), 0, None)
            for word in self._words(self._normalize(text[i:at])):
                out += self._pieces(word)
            if which is None:
                break
            out.append(self.special[which])
            i = at + len(which)
        return out

    def _words(self, text):
        word = []
        for ch in text:
            if ch.isspace() or self._punctuation(ch):
                if word:
                    yield "".join(word)
                word = []
                if not ch.isspace():
                    yield ch
            else:
                word.append(ch)
        if word:
            yield "".join(word)


class Text:
    """The exported tokenizer (word, char, byte-level BPE or WordPiece) and vocabulary."""

    def __init__(self, folder, config):
        self.kind = config.get("tokenizer", "word")
        if self.kind not in ("word", "char", "bpe", "wordpiece"):
            raise SystemExit(f"data.py: this export reads word, char, bpe and wordpiece models; this one uses "
                             f"'{self.kind}', which this SeqLab's data.py does not know.")
        self.lowercase = config.get("lowercase", True)
        self.cls_sep = config.get("cls_sep_framing", False)
        self.bpe = Bpe(os.path.join(folder, "tokenizer.json")) if self.kind == "bpe" else None
        self.wordpiece = WordPiece(os.path.join(folder, "tokenizer.json")) if self.kind == "wordpiece" else None
        with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
            self.tokens = json.load(f)["tokens"]
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        self.mask = self.ids.get("<mask>")

    def encode(self, text):
        tokens = (self.bpe.tokens(text) if self.bpe else self.wordpiece.tokens(text) if self.wordpiece
                  else char_tokens(text, self.lowercase) if self.kind == "char"
                  else word_tokens(text, self.lowercase))
        return [self.ids.get(t, UNK) for t in tokens]


def mask_windows(inputs, lengths, text, generator):
    """BERT's masking (SeqLab's MaskedLanguageData): round(15%) of each row's real positions (at least one) are
    chosen; 80% of those become <mask>, 10% a random ordinary token, 10% stay. Targets: the originals there, <pad>
    elsewhere."""
    inputs, targets = inputs.clone(), torch.full_like(inputs, PAD)
    vocab = len(text.tokens)
    for r, n in enumerate(lengths.tolist()):
        k = max(1, round(n * 0.15))
        chosen = torch.randperm(n, generator=generator)[:k]
        targets[r, chosen] = inputs[r, chosen]
        u = torch.rand(k, generator=generator)
        for p, x in zip(chosen.tolist(), u.tolist()):
            if x < 0.8:
                inputs[r, p] = text.mask
            elif x < 0.9:
                other = 4 + int(torch.randint(vocab - 5, (1,), generator=generator))
                inputs[r, p] = other if other < text.mask else other + 1
    return inputs, targets


class DotNetRandom:
    """.NET's System.Random(seed): the subtractive generator (Knuth) that a seeded Random still uses. SeqLab draws
    its evaluation masks from it, so these are the masks `seqlab eval` scores an mlm model on."""

    BIG, SEED = 2147483647, 161803398

    def __init__(self, seed):
        a = [0] * 56
        mj = self.SEED - (self.BIG if seed == -2147483648 else abs(seed))
        a[55], mk, ii = mj, 1, 0
        for _ in range(1, 55):
            ii = (ii + 21) % 55
            a[ii], mk, mj = mk, (mj - mk) % self.BIG, mk
        for _ in range(4):
            for i in range(1, 56):
                a[i] -= a[1 + (i + 30) % 55]
                if a[i] < 0:
                    a[i] += self.BIG
        self.a, self.i, self.j = a, 0, 21

    def _sample(self):
        self.i = 1 if self.i + 1 >= 56 else self.i + 1
        self.j = 1 if self.j + 1 >= 56 else self.j + 1
        r = self.a[self.i] - self.a[self.j]
        if r == self.BIG:
            r -= 1
        if r < 0:
            r += self.BIG
        self.a[self.i] = r
        return r * (1.0 / self.BIG)

    def next_double(self):
        return self._sample()

    def next(self, max_value):
        return int(self._sample() * max_value)


def mlm_windows(stream, seq_len):
    """A masked LM's windows: seq_len tokens each (the last may be shorter), as SeqLab cuts them."""
    return [stream[s:s + seq_len] for s in range(0, len(stream), seq_len)]


def mask_as_seqlab(windows, text, rng):
    """SeqLab's MaskedLanguageData with a DotNetRandom: per window, a partial Fisher-Yates shuffle picks round(15%)
    positions (at least one), then each draws 80% <mask>, 10% a random ordinary token, 10% unchanged. Returns
    (inputs, lengths, targets) with <pad> targets where nothing was chosen."""
    inputs, lengths = pad(windows)
    targets = torch.full_like(inputs, PAD)
    vocab = len(text.tokens)
    for r, w in enumerate(windows):
        n = len(w)
        k = max(1, round(n * 0.15))  # both round half to even, as C#'s Math.Round
        positions = list(range(n))
        for i in range(k):
            j = i + rng.next(n - i)
            positions[i], positions[j] = positions[j], positions[i]
        for t in positions[:k]:
            targets[r, t] = inputs[r, t]
            u = rng.next_double()
            if u < 0.8:
                inputs[r, t] = text.mask
            elif u < 0.9:
                other = 4 + rng.next(vocab - 4 - 1)
                inputs[r, t] = other if other < text.mask else other + 1
    return inputs, lengths, targets


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
        if line.strip():  # an imported BERT reads a line as [CLS] … [SEP]
            ids += ([BOS] if text.cls_sep else []) + text.encode(line) + [EOS]
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


def seq2seq_pairs(path, text):
    """TSV "source<TAB>target" or JSONL {"source": …, "target": …}: (source ids, target ids) pairs."""
    out = []
    for n, line in enumerate(read_lines(path), 1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            row = json.loads(line)
            source, target = row["source"], row["target"]
        else:
            source, sep, target = line.partition("\t")
            if not sep:
                raise SystemExit(f"data.py: {path}:{n}: expected source<TAB>target.")
        out.append((text.encode(source), text.encode(target)))
    return out


def seq2seq_batch(pairs):
    """Sources padded, with their lengths; targets framed <bos> y <eos> (SeqLab's Batch.Pairs): the decoder reads
    all but the last, and predicts all but the first."""
    sources, lengths = pad([p[0] or [UNK] for p in pairs])
    framed, _ = pad([[BOS] + p[1] + [EOS] for p in pairs])
    return sources, lengths, framed


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
