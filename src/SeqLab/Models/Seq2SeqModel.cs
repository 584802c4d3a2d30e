using SeqLab.Attention;
using SeqLab.Data;
using SeqLab.Native;
using TorchSharp.Modules;

namespace SeqLab.Models;

/// <summary>
/// An encoder–decoder: the encoder reads the source into a memory (B, S, D); the decoder reads the
/// output so far (starting at &lt;bos&gt;) and attends to that memory; a linear layer ("generator")
/// gives the next output token. The Transformer of "Attention Is All You Need", or (rnn/lstm/gru) a
/// recurrent encoder with an attentional recurrent decoder. Source and target share one vocabulary and
/// one embedding matrix, which the generator reuses when weights are tied (the paper, §3.4).
/// </summary>
public sealed class Seq2SeqModel : SequenceModel
{
    readonly OutputDecoder decoder;
    readonly Linear generator;

    public Seq2SeqModel(ModelConfig c)
        : base(nameof(Seq2SeqModel), c)
    {
        decoder = OutputDecoder.Create(c, Encoder.OutputSize);
        generator = nn.Linear(decoder.OutputSize, c.VocabSize);
        if (c.TieWeights && decoder.OutputSize == c.EmbedDim)
            generator.weight = Embedding.weight!; // (V, E), shared
        RegisterComponents();
        // With the √d_model input scale, N(0, 1) embeddings would swamp the positional encodings
        // and, tied to the generator, start with huge logits; d^-0.5 keeps both near unit scale.
        using (no_grad())
            nn.init.normal_(Embedding.weight!, 0, Math.Pow(c.HiddenSize, -0.5));
    }

    public OutputDecoder Decoder => decoder;

    /// <summary>source (B, S) ids and lengths → memory (B, S, d) and its padding mask (B, S).</summary>
    public (Tensor Memory, Tensor? Padding) Encode(Tensor source, Tensor? lengths)
    {
        var (memory, _) = Encoder.call(Embedding.call(source), lengths);
        return (memory, lengths is null ? null : Masks.Padding(lengths, source.shape[1]));
    }

    /// <summary>output so far (B, T) ids, starting with &lt;bos&gt; → next-token logits (B, T, V).</summary>
    public Tensor Decode(Tensor output, Tensor memory, Tensor? memoryPadding) =>
        Autocast.Linear(decoder.Decode(Embedding.call(output), memory, memoryPadding), generator);

    /// <summary>A Transformer decoder's caches for <see cref="DecodeStep"/>, or null for a recurrent decoder.</summary>
    public KeyValueCache[]? NewCache() => (decoder as TransformerDecoder)?.NewCache();

    /// <summary>Logits (B, T, V) for the newest output ids (B, T), after those the caches hold.</summary>
    public Tensor DecodeStep(Tensor output, Tensor memory, Tensor? memoryPadding, KeyValueCache[] caches) =>
        Autocast.Linear(
            ((TransformerDecoder)decoder).Step(Embedding.call(output), memory, memoryPadding, caches),
            generator
        );

    /// <summary>The encoder's memory (B, S, d) for source ids (B, S); decoding goes through <see
    /// cref="Decode"/>.</summary>
    public override Tensor forward(Tensor source, Tensor? lengths) => Encode(source, lengths).Memory;

    /// <summary>Teacher forcing: decoder input &lt;bos&gt; y1 … yn, targets y1 … yn &lt;eos&gt;. → (logits (B·T, V),
    /// targets (B·T))</summary>
    (Tensor Logits, Tensor Targets) TeacherForced(Batch batch)
    {
        var (memory, padding) = Encode(batch.InputTensor(), batch.LengthTensor());
        var target = batch.TargetTensor(); // (B, T+1)
        long T = target.shape[1] - 1;
        var logits = Decode(target[.., ..(int)T], memory, padding); // (B, T, V)
        return (logits.reshape(-1, Config.VocabSize), target[.., 1..].reshape(-1));
    }

    public override Tensor Loss(Batch batch, double labelSmoothing = 0.0) =>
        TokenLoss(TeacherForced(batch), labelSmoothing);

    public override (double Sum, long Count, long Correct) Score(Batch batch) => TokenScore(TeacherForced(batch));
}
