namespace SeqLab.Inference;

/// <summary>A trained model in use: the same call for every task (see <see cref="Predictors.For"/>).</summary>
public interface IPredictor
{
    /// <param name="top">how many candidates (next words or labels) to return.</param>
    Prediction Predict(string text, int top);
}
