"""P3 reference: the same LoRA training step in PyTorch on CPU (Debian's python3-torch).

Usage: python3 p3-torch.py '<job json>'  ->  one JSON line {"sft": {"ms": [...], "cpuMs": [...]}, "dpo": {...}, "peakRssMb": ...}

The model is a plain Llama decoder written here (no transformers library): RMSNorm, RoPE, grouped-query
causal attention, SwiGLU MLP, LoRA (dropout on the branch input) on q, k, v, o, gate, up, down, random
frozen weights. The loss, as in the ONNX graph: only the positions that predict a target reach the final
norm and lm_head; SFT is the mean NLL of the targets, DPO the sigmoid loss over (chosen, rejected) rows.
A step is forward + backward (gradients of the LoRA tensors), timed after one warm-up step. SFT runs with
LoRA dropout, DPO without (TRL's disable_dropout, as the trainer runs it).
"""
import json
import math
import resource
import sys
import time

import torch
import torch.nn.functional as F


def main():
    job = json.loads(sys.argv[1])
    c = job["config"]
    torch.set_num_threads(job["threads"])
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    H, L, NH, NKV = c["hiddenSize"], c["numLayers"], c["numHeads"], c["numKvHeads"]
    D, I, V = c["headDim"], c["intermediateSize"], c["vocabSize"]
    r, alpha, p_drop = job["r"], job["alpha"], job["dropout"]
    scale = alpha / r
    B, S = job["rows"], job["seqLen"]

    def frozen(out_f, in_f):
        return (torch.rand(out_f, in_f) * 2 - 1) * math.sqrt(3 / in_f)

    def lora(out_f, in_f):
        a = ((torch.rand(r, in_f) * 2 - 1) / math.sqrt(in_f)).requires_grad_()
        b = (torch.randn(out_f, r) * 1e-3).requires_grad_()
        return a, b

    shapes = {"q": (NH * D, H), "k": (NKV * D, H), "v": (NKV * D, H), "o": (H, NH * D), "gate": (I, H), "up": (I, H), "down": (H, I)}
    layers = []
    params = []
    for _ in range(L):
        layer = {"ln1": torch.ones(H), "ln2": torch.ones(H)}
        for name, (o, i) in shapes.items():
            layer[name] = frozen(o, i)
            layer[name + "_lora"] = lora(o, i)
            params.extend(layer[name + "_lora"])
        layers.append(layer)
    embed = torch.randn(V, H)
    norm = torch.ones(H)
    head = embed if c["tieWordEmbeddings"] else frozen(V, H)

    inv = 1.0 / (c["ropeTheta"] ** (torch.arange(0, D, 2).float() / D))
    ang = torch.arange(S).float()[:, None] * inv[None, :]
    cos = torch.cat([ang.cos(), ang.cos()], -1)
    sin = torch.cat([ang.sin(), ang.sin()], -1)
    causal = torch.full((S, S), -1e9).triu(1)

    def rms(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * w

    def rope(x):
        x1, x2 = x[..., : D // 2], x[..., D // 2 :]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    drop = {"p": p_drop}

    def linear(x, layer, name):
        a, b = layer[name + "_lora"]
        xd = F.dropout(x, drop["p"], True) if drop["p"] > 0 else x
        return F.linear(x, layer[name]) + F.linear(F.linear(xd, a), b) * scale

    rep = NH // NKV

    def forward(ids, target_rows, target_ids):
        x = embed[ids].view(B * S, H)
        for layer in layers:
            h = rms(x, layer["ln1"])
            q = rope(linear(h, layer, "q").view(B, S, NH, D).transpose(1, 2))
            k = rope(linear(h, layer, "k").view(B, S, NKV, D).transpose(1, 2))
            v = linear(h, layer, "v").view(B, S, NKV, D).transpose(1, 2)
            qg = q.reshape(B, NKV, rep * S, D) / math.sqrt(D)
            att = torch.softmax(qg @ k.transpose(-1, -2) + causal.repeat(rep, 1), -1)
            ctx = (att @ v).view(B, NH, S, D).transpose(1, 2).reshape(B * S, NH * D)
            x = x + linear(ctx, layer, "o")
            h2 = rms(x, layer["ln2"])
            x = x + linear(F.silu(linear(h2, layer, "gate")) * linear(h2, layer, "up"), layer, "down")
        hn = rms(x[target_rows], norm)
        lsm = torch.log_softmax(F.linear(hn, head), -1)
        return lsm.gather(1, target_ids[:, None])[:, 0]

    g = torch.Generator().manual_seed(1)
    ids = torch.randint(0, V, (B, S), generator=g)
    half = S // 2
    rows = torch.arange(B)[:, None] * S + torch.arange(half - 1, S - 1)[None, :]
    target_rows = rows.reshape(-1)
    target_ids = ids[:, half:].reshape(-1)
    seq_of = torch.arange(B).repeat_interleave(S - half)

    def sft():
        lp = forward(ids, target_rows, target_ids)
        return -lp.mean()

    def dpo():
        lp = forward(ids, target_rows, target_ids)
        seq = torch.zeros(B).index_add(0, seq_of, lp)
        ref = torch.full((B,), -5.0 * S)
        d = seq - ref
        z = 0.1 * (d[: B // 2] - d[B // 2 :])
        return F.softplus(-z).mean()

    def time_steps(loss_fn):
        wall, cpu = [], []
        for i in range(job["repeats"] + 1):
            for t in params:
                t.grad = None
            t0, c0 = time.perf_counter(), time.process_time()
            loss_fn().backward()
            if i > 0:
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
        return {"ms": wall, "cpuMs": cpu}

    result = {"sft": time_steps(sft)}
    if job.get("dpo"):
        drop["p"] = 0.0  # DPO trains without LoRA dropout (TRL's disable_dropout), as the trainer does
        result["dpo"] = time_steps(dpo)
    result["torch"] = torch.__version__
    result["peakRssMb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
