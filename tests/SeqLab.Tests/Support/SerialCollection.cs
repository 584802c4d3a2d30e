using SeqLab.Data;
using System.Diagnostics;
using System.Text;
using CsCheck;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Text;
using SeqLab.Training;
using static TorchSharp.torch;

namespace SeqLab.Tests;

/// <summary>Runs alone: the live-tensor count is process-wide, so parallel tests would disturb it.</summary>
[CollectionDefinition("serial", DisableParallelization = true)]
public sealed class SerialCollection;
