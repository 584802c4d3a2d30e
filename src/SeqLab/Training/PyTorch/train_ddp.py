"""Continues a SeqLab model's training with DistributedDataParallel, one process per CPU core or GPU.

  torchrun --nproc_per_node=N train_ddp.py --data PATH --steps K --out OUT [--valid PATH] [--lr LR] [--seed S]

Each rank reads its own shard of the batches (DistributedSampler); gradients are averaged over the ranks by DDP's
all-reduce (gloo on CPUs, NCCL on GPUs). The optimiser (Adam/AdamW with SeqLab's betas, eps, weight decay), the
learning-rate schedule and gradient clipping are SeqLab's, read from training.json. Rank 0 writes OUT in the layout
`seqlab import --from-pytorch OUT --out RUN` reads (model.safetensors, config.json, training.json, vocab.json) and
OUT/metrics.json: the losses, the evaluation SeqLab's `eval` repeats (perplexity or accuracy), and whether every
rank ended with the same weights. A rank that stops answering fails the run after SEQLAB_DDP_TIMEOUT seconds
(default 300) instead of hanging it.
"""
import argparse, datetime, faulthandler, json, math, os, shutil, sys, time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import model as seqmodel  # noqa: E402  (first: it says clearly when PyTorch is missing)
import torch  # noqa: E402
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler

import data as seqdata  # noqa: E402


def learning_rate(tr, step, total, d_model):
    """SeqLab's LearningRateSchedule.At: constant or cosine after a linear warm-up, or noam."""
    lr, warmup, kind = tr["learning_rate"], tr.get("warmup_steps", 0), tr.get("schedule", "constant")
    if kind == "noam":
        step = max(step, 1)
        return lr * d_model ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)
    base = lr * step / warmup if warmup > 0 and step < warmup else lr
    if kind == "cosine" and total > warmup:
        progress = min(max((step - warmup) / (total - warmup), 0.0), 1.0)
        base *= 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))
    return base


def evaluate(model, config, tr, text, path):
    """What `seqlab eval` reports: perplexity over every target token of the windows (lm), or accuracy."""
    model.eval()
    total, count, correct = 0.0, 0, 0
    with torch.no_grad():
        if config["task"] in ("lm", "mlm"):
            stream, seq_len = seqdata.lm_stream(path, text), tr.get("seq_len", 64)
            mlm = config["task"] == "mlm"
            windows = seqdata.mlm_windows(stream, seq_len) if mlm else seqdata.lm_windows(stream, seq_len)
            masking = seqdata.DotNetRandom(20190524)  # SeqLab's evaluation masks (TaskData.ValidationMaskSeed)
            for i in range(0, len(windows), 32):
                if mlm:
                    ids, lengths, targets = seqdata.mask_as_seqlab(windows[i:i + 32], text, masking)
                else:
                    ids, lengths, targets = seqdata.lm_batch(windows[i:i + 32])
                logits = model(ids, lengths)
                total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]).double(), targets.reshape(-1),
                                         ignore_index=seqdata.PAD, reduction="sum").item()
                count += int((targets != seqdata.PAD).sum())
            return {"perplexity": math.exp(total / count), "loss": total / count, "tokens": count}
        if config["task"] == "seq2seq":  # the teacher-forced perplexity `seqlab eval --json` reports
            pairs = seqdata.seq2seq_pairs(path, text)
            for i in range(0, len(pairs), 32):
                ids, lengths, framed = seqdata.seq2seq_batch(pairs[i:i + 32])
                logits = model(ids, lengths, framed[:, :-1])
                targets = framed[:, 1:]
                total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]).double(), targets.reshape(-1),
                                         ignore_index=seqdata.PAD, reduction="sum").item()
                count += int((targets != seqdata.PAD).sum())
            return {"perplexity": math.exp(total / count), "loss": total / count, "tokens": count}
        examples = seqdata.classify_examples(path, text, config["labels"], config["max_length"])
        for i in range(0, len(examples), 32):
            ids, lengths, labels = seqdata.classify_batch(examples[i:i + 32])
            logits = model(ids, lengths)
            total += F.cross_entropy(logits.double(), labels, reduction="sum").item()
            correct += int((logits.argmax(-1) == labels).sum())
            count += len(labels)
        return {"accuracy": correct / count, "loss": total / count, "examples": count}


def save_optimizer(out, model, opt, step, tr):
    """Adam's moments under the parameters' names (a tied weight under each of its names), so `seqlab import
    --from-pytorch` gives `train --resume` the optimiser this run ended with, not a fresh one."""
    moments = {}
    for name, t in model.state_dict(keep_vars=True).items():
        state = opt.state.get(t, {})
        if "exp_avg" in state:
            moments[name + ".exp_avg"] = state["exp_avg"]
            moments[name + ".exp_avg_sq"] = state["exp_avg_sq"]
    seqmodel.save_safetensors(os.path.join(out, "optimizer.safetensors"), moments)
    with open(os.path.join(out, "optimizer.json"), "w", encoding="utf-8") as f:
        json.dump({"optimizer": tr.get("optimizer", "adamw"), "step": step}, f, indent=2)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--valid", help="text to evaluate on at the end (default: --data)")
    p.add_argument("--lr", type=float, help="peak learning rate (default: training.json's)")
    p.add_argument("--batch-size", type=int, help="rows per rank and step (default: training.json's)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    backend = "nccl" if torch.cuda.is_available() else "gloo"
    # A rank that stops answering fails the run after this long instead of hanging it.
    dist.init_process_group(backend, timeout=datetime.timedelta(seconds=int(os.environ.get("SEQLAB_DDP_TIMEOUT", 300))))
    faulthandler.dump_traceback_later(int(os.environ.get("SEQLAB_DDP_TIMEOUT", 300)) + 10, exit=True)
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0))) if backend == "nccl" else torch.device("cpu")
    torch.manual_seed(a.seed)

    config, model = seqmodel.load(here)
    if config["task"] not in ("lm", "mlm", "classify", "seq2seq"):
        sys.stderr.write(f"train_ddp.py: unknown task '{config['task']}' in config.json; export the model again.\n")
        sys.exit(2)
    with open(os.path.join(here, "training.json"), encoding="utf-8") as f:
        tr = json.load(f)
    if a.lr:
        tr["learning_rate"] = a.lr
    text = seqdata.Text(here, config)
    if config["task"] in ("lm", "mlm"):
        items = seqdata.lm_windows(seqdata.lm_stream(a.data, text), tr.get("seq_len", 64))
        collate = seqdata.lm_batch
    elif config["task"] == "seq2seq":
        items = seqdata.seq2seq_pairs(a.data, text)
        collate = seqdata.seq2seq_batch
    else:
        items = seqdata.classify_examples(a.data, text, config["labels"], config["max_length"])
        collate = seqdata.classify_batch
    sampler = DistributedSampler(items, num_replicas=world, rank=rank, shuffle=True, seed=a.seed, drop_last=True)
    loader = DataLoader(items, batch_size=a.batch_size or tr.get("batch_size", 32), sampler=sampler,
                        collate_fn=collate, drop_last=True)
    if len(loader) == 0:
        raise SystemExit(f"train_ddp.py: {a.data} gives fewer batches than ranks; give more text or fewer processes.")

    model = model.to(device).train()
    ddp = DDP(model)
    params = [q for q in model.parameters() if q.requires_grad]
    kind = torch.optim.Adam if tr.get("optimizer") == "adam" else torch.optim.AdamW
    opt = kind(params, lr=tr["learning_rate"], betas=(tr.get("beta1", 0.9), tr.get("beta2", 0.999)),
               eps=tr.get("eps", 1e-8), weight_decay=tr.get("weight_decay", 0.01))
    losses, step, epoch, tokens, start = [], 0, 0, 0, time.time()
    masking = torch.Generator().manual_seed(a.seed * 1000 + rank)  # each rank masks its own rows
    while step < a.steps:
        sampler.set_epoch(epoch)
        for ids, lengths, targets in loader:
            step += 1
            for g in opt.param_groups:
                g["lr"] = learning_rate(tr, step, a.steps, config["hidden_size"])
            if config["task"] == "mlm":  # the window's seq_len tokens, masked; a new draw every step
                ids, targets = seqdata.mask_windows(ids, lengths, text, masking)
            if config["task"] == "seq2seq":  # teacher forcing: read <bos> y, predict y <eos>
                ids, lengths, framed = ids, lengths, targets
                targets = framed[:, 1:]
                logits = ddp(ids.to(device), lengths, framed[:, :-1].to(device))
            else:
                logits = ddp(ids.to(device), lengths)
            tokens += int((targets != seqdata.PAD).sum()) if config["task"] in ("lm", "seq2seq") else int(lengths.sum())
            if config["task"] in ("lm", "mlm", "seq2seq"):
                loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.to(device).reshape(-1),
                                       ignore_index=seqdata.PAD, label_smoothing=tr.get("label_smoothing", 0.0))
            else:
                loss = F.cross_entropy(logits, targets.to(device), label_smoothing=tr.get("label_smoothing", 0.0))
            opt.zero_grad()
            loss.backward()  # DDP all-reduces the gradients here
            if tr.get("clip_norm", 1.0) > 0:
                torch.nn.utils.clip_grad_norm_(params, tr["clip_norm"])
            opt.step()
            mean = loss.detach().clone()
            dist.all_reduce(mean)
            losses.append(mean.item() / world)
            if rank == 0 and (step % 10 == 0 or step == 1):
                print(f"step {step}/{a.steps}  loss {losses[-1]:.4f}", file=sys.stderr, flush=True)
            if step >= a.steps:
                break
        epoch += 1
    seconds = time.time() - start
    counted = torch.tensor([tokens], dtype=torch.float64)
    dist.all_reduce(counted)  # every rank's tokens

    # What one step's communication costs: all-reducing a buffer the size of all gradients (DDP overlaps its
    # buckets with the backward pass, so this is an upper bound on the step time it adds).
    grads = torch.zeros(sum(q.numel() for q in params), device=device)
    dist.barrier()
    t0 = time.time()
    for _ in range(10):
        dist.all_reduce(grads)
    if device.type == "cuda":
        torch.cuda.synchronize()
    allreduce_ms = (time.time() - t0) / 10 * 1000

    # Every rank must end with the same weights: compare a checksum of all of them.
    flat = torch.cat([q.detach().reshape(-1).double().cpu() for q in model.parameters()])
    sums = [torch.zeros(2, dtype=torch.float64) for _ in range(world)]
    dist.all_gather(sums, torch.stack([flat.sum(), (flat * flat).sum()]))
    identical = all(torch.equal(s, sums[0]) for s in sums)

    if rank == 0:
        os.makedirs(a.out, exist_ok=True)
        model = model.cpu()
        seqmodel.save_safetensors(os.path.join(a.out, "model.safetensors"), model.state_dict())
        save_optimizer(a.out, model, opt, step, tr)
        for name in ("config.json", "vocab.json", "tokenizer.json", "seqlab.json"):
            if os.path.exists(os.path.join(here, name)):
                shutil.copyfile(os.path.join(here, name), os.path.join(a.out, name))
        with open(os.path.join(a.out, "training.json"), "w", encoding="utf-8") as f:
            json.dump(tr, f, indent=2)
        result = evaluate(model, config, tr, text, a.valid or a.data)
        step_ms = seconds / step * 1000
        metrics = {"steps": step, "world_size": world, "backend": backend, "seconds": seconds,
                   "tokens_per_s": counted.item() / seconds, "step_ms": step_ms, "allreduce_ms": allreduce_ms,
                   "allreduce_share": allreduce_ms / step_ms if world > 1 else 0.0,
                   "gradient_floats": grads.numel(),
                   "first_loss": losses[0], "last_loss": losses[-1], "losses": losses,
                   "weights_identical_across_ranks": identical, "eval_data": a.valid or a.data, **result}
        with open(os.path.join(a.out, "metrics.json"), "w", encoding="utf-8") as f:
            json.dump(metrics, f, indent=2)
        print(json.dumps({k: v for k, v in metrics.items() if k != "losses"}))
    # Every rank leaves together: with gloo, a rank that tears its group down while rank 0 is still writing (or after
    # rank 0 has exited) could wait forever (seen with PyTorch 1.13).
    dist.barrier()
    dist.destroy_process_group()
    # Everything is written. Leave without running the DDP objects' destructors, one of which could hang in gloo at
    # interpreter shutdown (seen 3 times in 8 runs with PyTorch 1.13).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
