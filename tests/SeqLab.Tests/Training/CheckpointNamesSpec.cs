using SeqLab.Models;

namespace SeqLab.Tests;

public class CheckpointNamesSpec
{
    [Fact]
    public void LanguageModelTensorsCarryStableTorchStyleNames()
    {
        Torch.Init();
        var model = new LanguageModel(
            new ModelConfig
            {
                Family = ModelFamily.Lstm,
                EmbedDim = 8,
                HiddenSize = 8,
                VocabSize = 20,
            }
        );
        var names = model.state_dict().Keys.Order().ToList();
        Assert.Equal(
            [
                "decoder.bias",
                "decoder.weight",
                "embedding.weight",
                "encoder.rnn.bias_hh_l0",
                "encoder.rnn.bias_ih_l0",
                "encoder.rnn.weight_hh_l0",
                "encoder.rnn.weight_ih_l0",
            ],
            names
        );
    }
}
