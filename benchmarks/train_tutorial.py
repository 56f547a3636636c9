"""Issue 2 speed: the tutorial's workload, our trainer against the tutorial's own loop.

The tutorial's code as printed, with its one bug fixed so that it runs (`backward` assigns
W1, b1, W2, b2 without declaring them global, which raises UnboundLocalError), run in this
process beside our Trainer; both must print the same losses to a relative 1e-9. PyTorch on
the CPU for the same network where torch is installed. Then the coalesced `updates()` path
the app uses against plain `run()`, and the start-up time of `letter-tui train --headless`.

    python benchmarks/train_tutorial.py [--repeats N]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_common import interleaved, machine, torch_or_none

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.network import Network, Trainer
from letter_tui.core.training import TUTORIAL, TrainingRun

EPOCHS = 10000

# ---- The tutorial, as printed (Steps 2-6), with `global` added to backward. ----------------
W1 = b1 = W2 = b2 = None


def tutorial_init() -> None:
    global W1, b1, W2, b2
    np.random.seed(42)
    input_size, hidden_size, output_size = 30, 5, 3
    W1 = np.random.randn(input_size, hidden_size) * 0.01
    b1 = np.zeros((1, hidden_size))
    W2 = np.random.randn(hidden_size, output_size) * 0.01
    b2 = np.zeros((1, output_size))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1 - x)


def forward(X):
    Z1 = np.dot(X, W1) + b1
    A1 = sigmoid(Z1)
    Z2 = np.dot(A1, W2) + b2
    A2 = sigmoid(Z2)
    return A1, A2


def backward(X, y, A1, A2, learning_rate=0.1):
    global W1, b1, W2, b2  # the fix: as printed, these assignments make the names local
    m = X.shape[0]
    dZ2 = A2 - y
    dW2 = np.dot(A1.T, dZ2) / m
    db2 = np.sum(dZ2, axis=0, keepdims=True) / m
    dA1 = np.dot(dZ2, W2.T)
    dZ1 = dA1 * sigmoid_derivative(A1)
    dW1 = np.dot(X.T, dZ1) / m
    db1 = np.sum(dZ1, axis=0, keepdims=True) / m
    W1 -= learning_rate * dW1
    b1 -= learning_rate * db1
    W2 -= learning_rate * dW2
    b2 -= learning_rate * db2


def train(X, y, epochs=10000, learning_rate=0.1):
    for epoch in range(epochs):
        A1, A2 = forward(X)
        backward(X, y, A1, A2, learning_rate)
        if epoch % 1000 == 0:
            loss = np.mean(np.square(y - A2))
            print(f"Epoch {epoch}, Loss: {loss}")


# ---- The contenders. ---------------------------------------------------------------------
ABC = load_bundled("abc")
X, Y = ABC.matrix(), ABC.targets()


def run_tutorial() -> list[float]:
    tutorial_init()
    out = io.StringIO()
    with redirect_stdout(out):
        train(X, Y, EPOCHS)
    return [float(line.rsplit(" ", 1)[1]) for line in out.getvalue().splitlines()]


def run_ours() -> list[float]:
    trainer = Trainer(Network.create(30, 5, 3, 42), X, Y, 0.1)
    return [p.loss for p in trainer.run(EPOCHS, 1000)]


def run_torch(torch) -> list[float]:
    """The same network in PyTorch, float64: autograd on the cross-entropy whose gradient is
    the tutorial's dZ2 = A2 - y, plain SGD, the tutorial's squared error printed."""
    net = Network.create(30, 5, 3, 42)
    params = [torch.from_numpy(a.copy()).requires_grad_() for a in (net.W1, net.b1, net.W2, net.b2)]
    w1, c1, w2, c2 = params
    opt = torch.optim.SGD(params, lr=0.1)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    losses = []
    for epoch in range(EPOCHS):
        z2 = torch.sigmoid(Xt @ w1 + c1) @ w2 + c2
        if epoch % 1000 == 0:
            losses.append(float(torch.mean((torch.sigmoid(z2.detach()) - Yt) ** 2)))
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z2, Yt, reduction="sum") / 3
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return losses


def run_updates() -> None:
    run = TrainingRun(ABC, TUTORIAL)
    for _ in run.updates(interval=0.25):
        pass


def run_plain() -> None:
    run = TrainingRun(ABC, TUTORIAL)
    for _ in run.run():
        pass


def startup(repeats: int) -> None:
    """`letter-tui train --headless` start-up beyond Python and NumPy's own import."""
    exe = Path(sys.executable).with_name("letter-tui")
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "LETTER_TUI_DATA_DIR": data}
        commands = {
            "python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
            "letter-tui --version": [str(exe), "--version"],
            "python: import numpy + the train path's modules": [
                sys.executable,
                "-c",
                "import letter_tui.cli, letter_tui.core.training, letter_tui.core.evaluate",
            ],
            "letter-tui train --headless --epochs 1": [
                *(str(exe), "train", "--headless", "--epochs", "1")
            ],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeats):
            for name, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, env=env, check=True, capture_output=True)
                times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c 'import numpy'"])
    for name, t in times.items():
        median = statistics.median(t)
        extra = "" if median <= base else f"   (+{median - base:.3f} s beyond numpy)"
        print(f"  {name:<42} {median:.3f} s{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    torch = torch_or_none()
    print(f"# {machine()}")
    want = run_tutorial()
    for name, got in (("ours", run_ours()), ("torch", run_torch(torch) if torch else None)):
        if got is not None:
            worst = max(abs(g / w - 1) for g, w in zip(got, want, strict=True))
            assert worst < 1e-9, f"{name} differs from the tutorial by {worst:g}"
            print(f"# {name}: same {len(got)} losses as the tutorial, worst relative {worst:.1e}")
    runs = {"tutorial": run_tutorial, "ours": run_ours}
    if torch is not None:
        torch.set_num_threads(1)  # 3x3 matrices: threads only cost
        runs["torch"] = lambda: run_torch(torch)
    seconds = interleaved(runs, args.repeats)
    print(f"Tutorial workload: abc, 30-5-3, {EPOCHS} epochs, float64; medians of {args.repeats}")
    for name, t in seconds.items():
        ratio = seconds["tutorial"] / t
        print(f"  {name:<10} {EPOCHS / t:>10.0f} epochs/s   {ratio:5.2f}x the tutorial's loop")
    app = interleaved({"run": run_plain, "updates": run_updates}, args.repeats)
    print(
        f"App path: TrainingRun.updates(interval=0.25) {app['updates'] / app['run']:.3f}x the "
        f"time of run() ({app['run'] * 1000:.1f} ms vs {app['updates'] * 1000:.1f} ms)"
    )
    print(f"Start-up, medians of {args.repeats} runs (the train run includes one epoch, the")
    print("noise table on 70,000 noisy letters and saving the model):")
    startup(args.repeats)


if __name__ == "__main__":
    main()
