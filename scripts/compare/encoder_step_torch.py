#!/usr/bin/env python3
"""PyTorch's side of `mi bench`'s encoder configurations (outside CI).

Trains two encoders on Fashion-MNIST top/bottom halves (1 x 14 x 28 each)
through InfoNCE with a bilinear critic f(u, v) = u^T W v on their 100
features, batch 128, Adam (learning rate 1e-4), exactly as
`mi bench --only encoder-mlp-nce` (and `encoder-conv-nce`) does, and prints
one JSON line per configuration with the median steps/s over timed runs
(and the process's CPU time per step, all threads, which a loaded machine
inflates less than the wall-clock time; and the 1-minute load average).

    pip install torch      # the CPU build; numpy is needed too
    python3 scripts/compare/encoder_step_torch.py --threads 2
    python3 scripts/compare/encoder_step_torch.py --only mlp --seconds 3

Each step draws the next minibatch of an epoch's shuffle (as `mi` does),
runs both encoders forward, the 128 x 128 scores, InfoNCE, backward and the
Adam update. FLOPs per step use `mi`'s convention: every dense or
convolution layer counts forward, weight gradient and input gradient
(2 x 3 x multiply-adds), so the fractions of peak are comparable.
"""
import argparse
import gzip
import json
import math
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * d: 8 + 4 * d], "big") for d in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def halves(directory):
    """Top and bottom halves of the training images, scaled to [0, 1]."""
    path = os.path.join(directory, "train-images-idx3-ubyte.gz")
    if not os.path.exists(path):
        path = path[:-3]
    images = read_idx(path).astype(np.float32) / 255
    return torch.from_numpy(images[:, None, :14, :].copy()), torch.from_numpy(images[:, None, 14:, :].copy())


class MLP(nn.Module):
    """392-300-300-100, ReLU (001 sec. 3.2)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(392, 300), nn.ReLU(), nn.Linear(300, 300), nn.ReLU(),
                                 nn.Linear(300, 100))

    def forward(self, x):
        return self.net(x)

    @staticmethod
    def macs(rows):
        return rows * (392 * 300 + 300 * 300 + 300 * 100)


class ConvNet(nn.Module):
    """Two 5x5 stride-2 convolutions (64, 128 channels), ReLU, layer norm,
    spatial average pooling, a linear layer to 100 (001 sec. 3.3)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 64, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(64, 128, 5, stride=2, padding=2)
        self.norm = nn.LayerNorm([128, 4, 7])
        self.out = nn.Linear(128, 100)

    def forward(self, x):
        h = F.relu(self.c2(F.relu(self.c1(x))))
        return self.out(self.norm(h).mean(dim=(2, 3)))

    @staticmethod
    def macs(rows):
        # 14 x 28 -> 7 x 14 -> 4 x 7 with padding 2.
        return rows * (7 * 14 * 64 * 25 + 4 * 7 * 128 * 64 * 25 + 128 * 100)


def infonce(scores):
    k = scores.shape[0]
    return math.log(k) + (scores.diagonal() - torch.logsumexp(scores, dim=1)).mean()


def measure(kind, top, bottom, seconds, repeats, batch=128):
    torch.manual_seed(1)
    model = {"mlp": MLP, "conv": ConvNet}[kind]
    g1, g2 = model(), model()
    w = nn.Parameter(torch.empty(100, 100))
    nn.init.xavier_uniform_(w)
    opt = torch.optim.Adam(list(g1.parameters()) + list(g2.parameters()) + [w], lr=1e-4)
    n = top.shape[0]
    state = {"order": torch.randperm(n), "at": 0}

    def step():
        if state["at"] + batch > n:
            state["order"], state["at"] = torch.randperm(n), 0
        idx = state["order"][state["at"]:state["at"] + batch]
        state["at"] += batch
        x1, x2 = top[idx], bottom[idx]
        scores = g1(x1) @ w @ g2(x2).T
        loss = -infonce(scores)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    for _ in range(10):
        step()
    t = time.perf_counter()
    for _ in range(5):
        step()
    steps = max(10, int(seconds / ((time.perf_counter() - t) / 5)))
    times, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - t) / steps)
        cpu.append((time.process_time() - c) / steps)
    median = statistics.median(times)
    flops = 2 * 3 * (2 * model.macs(batch) + batch * 100 * 100 + batch * batch * 100)
    return {"bench": "torch", "config": f"encoder-{kind}-nce", "torch": torch.__version__,
            "threads": torch.get_num_threads(), "steps_per_s": round(1 / median, 3),
            "best_steps_per_s": round(1 / min(times), 3), "step_ms": round(median * 1e3, 3),
            "gflop_per_step": round(flops / 1e9, 3), "achieved_gflops": round(flops / median / 1e9, 3),
            "cpu_ms_per_step": round(statistics.median(cpu) * 1e3, 3),
            "timed_steps": steps, "repeats": repeats, "load": os.getloadavg()[0]}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--only", choices=["mlp", "conv"], action="append")
    p.add_argument("--seconds", type=float, default=1.5, help="seconds per timed run, roughly")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--data", default=DATA)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    top, bottom = halves(a.data)
    for kind in a.only or ["mlp", "conv"]:
        print(json.dumps(measure(kind, top, bottom, a.seconds, a.repeats), sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
