"""Debian's gensim 4.2 Word2Vec on a text, with `seqlab embed train`'s defaults and tokenization.
usage: /usr/bin/python3 bench/gensim_word2vec.py TEXT WORKERS   -> one JSON line (seconds, words/s, neighbours)"""
import json, re, sys, time
from gensim.models import Word2Vec

tok = lambda s: re.findall(r"\w+|[^\w\s]", s.lower())
sents = [tok(l) for l in open(sys.argv[1], encoding="utf-8")]
words = sum(len(s) for s in sents)
t = time.perf_counter()
m = Word2Vec(sents, vector_size=100, window=5, negative=5, min_count=5, sg=1, epochs=5,
             workers=int(sys.argv[2]), seed=1)
dt = time.perf_counter() - t
probe = {w: [x for x, _ in m.wv.most_similar(w, topn=5)] for w in ("amor", "agua", "imagen", "archivo") if w in m.wv}
print(json.dumps({"engine": "gensim", "workers": int(sys.argv[2]), "words": words, "vocab": len(m.wv),
                  "seconds": round(dt, 2), "words_per_s": round(words * 5 / dt), "neighbours": probe},
                 ensure_ascii=False))
