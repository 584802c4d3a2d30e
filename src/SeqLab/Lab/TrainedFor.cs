using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>How long a model of the lab has been trained, over every run that trained it.</summary>
public sealed record TrainedFor(long Steps, double Seconds, bool Continued);
