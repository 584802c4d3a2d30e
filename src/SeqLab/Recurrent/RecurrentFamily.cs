namespace SeqLab.Recurrent;

/// <summary>The three recurrent families of the lecture.</summary>
public enum RecurrentFamily
{
    Rnn,
    Lstm,
    Gru,
}
