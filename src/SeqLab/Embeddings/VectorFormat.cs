namespace SeqLab.Embeddings;

/// <summary>The files word vectors come in (spelled text, binary, glove on the command line).</summary>
public enum VectorFormat
{
    /// <summary>word2vec's text format: a "count dim" header, then one "word v1 … vd" line per word (gensim's
    /// save_word2vec_format).</summary>
    Text,

    /// <summary>word2vec's binary format (.bin): the same header, then each word, a space and dim little-endian
    /// float32s, as word2vec.c and gensim's binary=True write it.</summary>
    Binary,

    /// <summary>GloVe's text: "word v1 … vd" lines with no header.</summary>
    Glove,
}
