using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SeqLab.Models;
using SeqLab.Native;
using SeqLab.Training;

namespace SeqLab.Lab;

/// <summary>How big an experiment runs: tiny (tests, seconds), small (the demo, minutes), full (the larger version).</summary>
public enum LabScale { Tiny, Small, Full }
