// Hugging Face tokenizers (Rust, through its npm binding): train a byte-level BPE with its default trainer, then
// encode a text in one batch. Prints one JSON line. Threads: RAYON_NUM_THREADS (1 for the single-threaded run).
//   node hf.js TRAIN.txt TEST.txt OUT.json
const fs = require("fs");
const { Tokenizer, BPE, byteLevelPreTokenizer } = require("tokenizers");

async function main() {
  const [train, test, out] = process.argv.slice(2);
  const read = (f) => fs.readFileSync(f, "utf8").split("\n").filter((l) => l.trim().length > 0);
  let start = process.hrtime.bigint();
  const tokenizer = new Tokenizer(BPE.empty());
  tokenizer.setPreTokenizer(byteLevelPreTokenizer(false, true));
  tokenizer.train([train]);
  const trainSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  tokenizer.save(out);
  const count = (encodings) => encodings.reduce((n, e) => n + e.getIds().length, 0);
  // Speed on the whole training text; compression on the held-out text.
  const lines = read(train);
  await tokenizer.encodeBatch(lines.slice(0, 50)); // warm up
  start = process.hrtime.bigint();
  const tokens = count(await tokenizer.encodeBatch(lines));
  const encodeSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const heldOut = read(test);
  const words = heldOut.reduce((n, l) => n + l.split(/\s+/).filter((w) => w.length > 0).length, 0);
  const heldOutTokens = count(await tokenizer.encodeBatch(heldOut));
  console.log(JSON.stringify({
    vocab_size: tokenizer.getVocabSize(),
    train_seconds: trainSeconds,
    tokens,
    encode_seconds: encodeSeconds,
    tokens_per_s: tokens / encodeSeconds,
    tokens_per_word: heldOutTokens / words,
  }));
}

main();
