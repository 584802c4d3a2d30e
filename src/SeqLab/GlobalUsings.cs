// libtorch's functions (tensor, zeros, no_grad, NewDisposeScope, nn, …) read as in PyTorch, in every file.
global using static TorchSharp.torch;
