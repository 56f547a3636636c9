"""Issue 4 speed: a larger workload, our trainer against PyTorch on the CPU and naive NumPy.

26 letters x 200 noisy copies (5200 rows), 30 inputs, 32 hidden units, 26 outputs, float64,
the tutorial's rule (sigmoid outputs, dZ2 = A2 - y, plain SGD), at full batch and at
mini-batch 64 (rows reshuffled every epoch), plus the same with softmax outputs. All
implementations start from the same weights and use the same row orders, and their final
losses are checked to agree, so they do the same arithmetic.

    python benchmarks/train_large.py [--repeats N] [--full-batch-only]

PyTorch runs at its default thread count (2 on a 2-core machine) and at 1 thread.

PyTorch is optional (`pip install -e ".[bench]"` or `pip install torch==2.13.0`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_common import machine, torch_or_none

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.network import Network, Trainer
from letter_tui.core.noise import noisy_copies

HIDDEN = 32
LR = 0.1


def workload() -> tuple[np.ndarray, np.ndarray]:
    az = load_bundled("az")
    return noisy_copies(az.matrix(), az.targets(), 200, 0.1, np.random.default_rng(0))


def orders(m: int, epochs: int, batch: int) -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    return [rng.permutation(m) if batch else np.arange(m) for _ in range(epochs)]


def start_net(output: str) -> Network:
    return Network.create(30, HIDDEN, 26, 42, init="scaled", output=output)


def ours(X, Y, output, batch, perms):
    """Our Trainer, fed the benchmark's row orders (it would shuffle with its own generator)."""
    net = start_net(output)
    trainer = Trainer(net, X, Y, LR, batch_size=batch)
    if batch:
        # The benchmark's permutations instead of the trainer's own, for equal arithmetic.
        queue = iter(perms)

        class Orders:
            def permutation(self, m: int) -> np.ndarray:
                return next(queue)

        trainer._rng = Orders()
    for _ in trainer.run(len(perms), report_every=10**9):
        pass
    return net


def naive(X, Y, output, batch, perms):
    """NumPy written the obvious way: new temporaries every step."""
    net = start_net(output)
    W1, b1, W2, b2 = net.W1, net.b1, net.W2, net.b2
    m = len(X)
    size = batch or m
    for order in perms:
        Xs, Ys = (X[order], Y[order]) if batch else (X, Y)
        for s in range(0, m, size):
            x, y = Xs[s : s + size], Ys[s : s + size]
            k = len(x)
            A1 = 1 / (1 + np.exp(-(x @ W1 + b1)))
            Z2 = A1 @ W2 + b2
            if output == "softmax":
                e = np.exp(Z2 - Z2.max(1, keepdims=True))
                A2 = e / e.sum(1, keepdims=True)
            else:
                A2 = 1 / (1 + np.exp(-Z2))
            dZ2 = A2 - y
            dW2 = A1.T @ dZ2 / k
            db2 = dZ2.sum(0, keepdims=True) / k
            dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)
            dW1 = x.T @ dZ1 / k
            db1 = dZ1.sum(0, keepdims=True) / k
            W1 -= LR * dW1
            b1 -= LR * db1
            W2 -= LR * dW2
            b2 -= LR * db2
    return net


def torch_autograd(torch, X, Y, output, batch, perms):
    """PyTorch as one writes it: nn.Sequential, autograd, optim.SGD."""
    net = start_net(output)
    model = torch.nn.Sequential(
        torch.nn.Linear(30, HIDDEN), torch.nn.Sigmoid(), torch.nn.Linear(HIDDEN, 26)
    ).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(net.W1.T))
        model[0].bias.zero_()
        model[2].weight.copy_(torch.from_numpy(net.W2.T))
        model[2].bias.zero_()
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    labels = Yt.argmax(1)
    m = len(X)
    size = batch or m
    for order in perms:
        if batch:
            o = torch.from_numpy(order)
            Xs, Ys, Ls = Xt[o], Yt[o], labels[o]
        else:
            Xs, Ys, Ls = Xt, Yt, labels
        for s in range(0, m, size):
            z = model(Xs[s : s + size])
            if output == "softmax":
                loss = torch.nn.functional.cross_entropy(z, Ls[s : s + size])
            else:
                # Its gradient is (sigmoid(z) - y) / k: the tutorial's dZ2 = A2 - y.
                y = Ys[s : s + size]
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    z, y, reduction="sum"
                ) / len(y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    with torch.no_grad():
        return Network(
            model[0].weight.T.numpy().copy(),
            model[0].bias.numpy().reshape(1, -1).copy(),
            model[2].weight.T.numpy().copy(),
            model[2].bias.numpy().reshape(1, -1).copy(),
            output,
        )


def torch_manual(torch, X, Y, output, batch, perms):
    """PyTorch without autograd: the same hand-written gradients, in-place updates."""
    net = start_net(output)
    W1, b1, W2, b2 = (torch.from_numpy(a.copy()) for a in (net.W1, net.b1, net.W2, net.b2))
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    m = len(X)
    size = batch or m
    with torch.no_grad():
        for order in perms:
            if batch:
                o = torch.from_numpy(order)
                Xs, Ys = Xt[o], Yt[o]
            else:
                Xs, Ys = Xt, Yt
            for s in range(0, m, size):
                x, y = Xs[s : s + size], Ys[s : s + size]
                k = len(x)
                A1 = torch.sigmoid(torch.addmm(b1, x, W1))
                Z2 = torch.addmm(b2, A1, W2)
                A2 = torch.softmax(Z2, 1) if output == "softmax" else torch.sigmoid(Z2)
                dZ2 = A2.sub_(y).div_(k)
                dZ1 = (dZ2 @ W2.T).mul_(A1).mul_(1 - A1)
                W2.sub_(A1.T @ dZ2, alpha=LR)
                b2.sub_(dZ2.sum(0, keepdim=True), alpha=LR)
                W1.sub_(x.T @ dZ1, alpha=LR)
                b1.sub_(dZ1.sum(0, keepdim=True), alpha=LR)
    return Network(W1.numpy(), b1.numpy(), W2.numpy(), b2.numpy(), output)


def loss_of(net: Network, X: np.ndarray, Y: np.ndarray) -> float:
    _, A2 = net.forward(X)
    return float(np.mean(np.square(A2 - Y)))


def blas_threads(n: int | None):
    """A context giving NumPy's BLAS n threads (None: leave it), via threadpoolctl."""
    from contextlib import nullcontext

    if n is None:
        return nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=n, user_api="blas")


def with_threads(fn, numpy_threads: int | None = None, torch_threads: int | None = None):
    def run():
        if torch_threads is not None:
            torch.set_num_threads(torch_threads)
        with blas_threads(numpy_threads):
            return fn()

    torch = torch_or_none()
    return run


def interleaved_times(fns: dict, repeats: int) -> dict[str, list[float]]:
    """Every repeat's wall time of each function, run in turn (after one untimed warm-up each)
    so that a busy moment on the machine hits all of them alike."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--full-batch-only",
        action="store_true",
        help="only the full-batch cases (a quicker look at PyTorch's 2 threads against 1)",
    )
    args = parser.parse_args()
    torch = torch_or_none()
    try:
        import threadpoolctl  # noqa: F401

        threads = (1, 2)
    except ImportError:
        threads = (None,)
    X, Y = workload()
    m = len(X)
    print(f"# {machine()}")
    if torch is not None:
        print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads by default")
    print(f"# {m} rows x 30 inputs, {HIDDEN} hidden, 26 outputs, float64, lr {LR}")
    print(f"# epochs per second: median [slowest-fastest] of {args.repeats} interleaved repeats;")
    print("# letter-tui runs NumPy with 1 BLAS thread (cli.single_threaded_blas); torch defaults")
    print("# to 2 threads. Ratios: letter-tui's median over each torch thread count's best one.")
    for output in ("sigmoid", "softmax"):
        for batch, epochs in ((0, 100),) if args.full_batch_only else ((0, 100), (64, 10)):
            perms = orders(m, epochs, batch)
            runs = {}
            for n in threads:
                label = "" if n is None else f", {n} BLAS thread{'s' if n > 1 else ''}"
                runs[f"ours{label}"] = with_threads(
                    lambda o=output, b=batch, p=perms: ours(X, Y, o, b, p), numpy_threads=n
                )
            runs["naive numpy" + ("" if threads == (None,) else ", 1 BLAS thread")] = with_threads(
                lambda o=output, b=batch, p=perms: naive(X, Y, o, b, p), numpy_threads=threads[0]
            )
            if torch is not None:
                for n in (2, 1):
                    runs[f"torch autograd, {n} thread{'s' if n > 1 else ''}"] = with_threads(
                        lambda o=output, b=batch, p=perms: torch_autograd(torch, X, Y, o, b, p),
                        torch_threads=n,
                    )
                    runs[f"torch hand-written, {n} thread{'s' if n > 1 else ''}"] = with_threads(
                        lambda o=output, b=batch, p=perms: torch_manual(torch, X, Y, o, b, p),
                        torch_threads=n,
                    )
            # The same arithmetic: every implementation ends at the same loss.
            final = {name: loss_of(fn(), X, Y) for name, fn in runs.items()}
            spread = max(final.values()) / min(final.values()) - 1
            assert spread < 1e-9, f"implementations disagree: {final}"
            times = interleaved_times(runs, args.repeats)
            rates = {name: sorted(epochs / t for t in ts) for name, ts in times.items()}
            rate = {name: statistics.median(r) for name, r in rates.items()}
            app = next(iter(rate))
            print(f"{output} outputs, {'full batch' if not batch else f'mini-batch {batch}'}:")
            for name, r in rate.items():
                low, high = rates[name][0], rates[name][-1]
                print(f"  {name:<32}{r:8.1f}  [{low:.1f}-{high:.1f}]")
            # PyTorch's default (2 threads here) and 1 thread, each at its faster of the two
            # ways of writing it: letter-tui can be level with one and ahead of the other.
            for n in (2, 1):
                tag = f", {n} thread{'s' if n > 1 else ''}"
                mine = [r for k, r in rate.items() if k.startswith("torch") and k.endswith(tag)]
                best = max(mine, default=0)
                if best:
                    print(f"  letter-tui / fastest torch{tag}: {rate[app] / best:.2f}x")
    print("# load average at the end " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    if torch is not None:
        torch.set_num_threads(2)


if __name__ == "__main__":
    main()
