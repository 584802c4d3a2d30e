namespace SeqLab.Text;

/// <summary>
/// Learns byte-level BPE merges with incremental pair counts: after a merge only the words that held the pair are
/// recounted, and a priority queue (most frequent first, then ordinal order of the left and right symbols) with stale
/// entries skipped finds the next pair.
/// </summary>
static class BpeTrainer
{
    sealed class Word(List<int> symbols, long count)
    {
        public List<int> Symbols = symbols;
        public readonly long Count = count;
    }

    public static BpeTokenizer Train(IEnumerable<string> lines, int vocabSize)
    {
        if (vocabSize < BpeTokenizer.Alphabet)
            throw new SeqLabInputException(
                $"a vocabulary of {vocabSize} is smaller than the byte alphabet ({BpeTokenizer.Alphabet}); give "
                    + $"--vocab-size {BpeTokenizer.Alphabet} or more (a few thousand suit a small corpus)."
            );
        var symbols = new List<string>(ByteLevel.ByteToChar.Select(c => c.ToString()));
        var ids = symbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines)
        foreach (var w in ByteLevel.Words(line))
            counts[w] = counts.GetValueOrDefault(w) + 1;
        if (counts.Count == 0)
            throw new SeqLabInputException("the text is empty; give a UTF-8 text to learn the tokenizer from.");
        var words = counts
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new Word([.. p.Key.Select(c => ids[c.ToString()])], p.Value))
            .ToList();

        var pairCounts = new Dictionary<(int, int), long>();
        var where = new Dictionary<(int, int), HashSet<int>>();
        var queue = new PriorityQueue<(int, int), (long Count, string Left, string Right)>(new Order());
        void Add((int, int) pair, long n, int word)
        {
            pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + n;
            if (n > 0)
            {
                if (!where.TryGetValue(pair, out var set))
                    where[pair] = set = [];
                set.Add(word);
            }
        }
        void Count(int w, long sign)
        {
            var s = words[w].Symbols;
            for (int i = 0; i + 1 < s.Count; i++)
                Add((s[i], s[i + 1]), sign * words[w].Count, w);
        }
        for (int w = 0; w < words.Count; w++)
            Count(w, +1);
        foreach (var (pair, n) in pairCounts)
            queue.Enqueue(pair, (n, symbols[pair.Item1], symbols[pair.Item2]));

        var vocab = new Dictionary<string, int>(ids, StringComparer.Ordinal);
        var merges = new List<(string, string)>();
        while (vocab.Count < vocabSize && queue.TryDequeue(out var pair, out var priority))
        {
            long current = pairCounts.GetValueOrDefault(pair);
            if (current != priority.Count)
                continue; // a stale entry: the pair's count changed after it was queued
            if (current < 1)
                break; // no pair left: every word is one token
            string merged = symbols[pair.Item1] + symbols[pair.Item2];
            if (Vocabulary.Specials.Contains(ByteLevel.Decode(merged)))
                continue; // never learn a token that reads as one of SeqLab's special tokens
            merges.Add((symbols[pair.Item1], symbols[pair.Item2]));
            if (!ids.TryGetValue(merged, out int id))
            {
                id = symbols.Count;
                symbols.Add(merged);
                ids[merged] = id;
            }
            vocab.TryAdd(merged, vocab.Count);
            var touched = new HashSet<(int, int)>();
            foreach (var w in where[pair].ToList())
            {
                var s = words[w].Symbols;
                bool holds = false;
                for (int i = 0; i + 1 < s.Count && !holds; i++)
                    holds = s[i] == pair.Item1 && s[i + 1] == pair.Item2;
                if (!holds)
                    continue;
                for (int i = 0; i + 1 < s.Count; i++)
                    touched.Add((s[i], s[i + 1]));
                Count(w, -1);
                var next = new List<int>(s.Count);
                for (int i = 0; i < s.Count; i++)
                {
                    if (i + 1 < s.Count && s[i] == pair.Item1 && s[i + 1] == pair.Item2)
                    {
                        next.Add(id);
                        i++;
                    }
                    else
                        next.Add(s[i]);
                }
                words[w].Symbols = next;
                Count(w, +1);
                for (int i = 0; i + 1 < next.Count; i++)
                    touched.Add((next[i], next[i + 1]));
            }
            foreach (var p in touched)
                if (pairCounts.GetValueOrDefault(p) > 0)
                    queue.Enqueue(p, (pairCounts[p], symbols[p.Item1], symbols[p.Item2]));
        }
        return BpeTokenizer.Create(vocab, merges);
    }

    /// <summary>Most frequent first; ties by the ordinal order of the left symbol, then of the right one.</summary>
    sealed class Order : IComparer<(long Count, string Left, string Right)>
    {
        public int Compare((long Count, string Left, string Right) x, (long Count, string Left, string Right) y)
        {
            int c = y.Count.CompareTo(x.Count);
            if (c != 0)
                return c;
            c = string.CompareOrdinal(x.Left, y.Left);
            return c != 0 ? c : string.CompareOrdinal(x.Right, y.Right);
        }
    }
}
