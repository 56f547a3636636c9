"""Model files: `.npz` with the tutorial's arrays (W1, b1, W2, b2) and JSON metadata.

Loaded with `allow_pickle=False`, so a model file can never run code.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from letter_tui.core import paths
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.errors import ModelError
from letter_tui.core.network import OUTPUTS, Network

FORMAT = "letter-tui-model"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ModelMeta:
    alphabet: str
    letters: tuple[str, ...]
    rows: int
    cols: int
    hidden: int
    seed: int
    learning_rate: float
    epochs: int
    noise: float = 0.0
    copies: int = 0
    batch_size: int = 0  # 0: full batch, the tutorial's rule
    output: str = "sigmoid"  # or "softmax" (trained with cross-entropy)
    init: str = "tutorial"  # or "scaled": initial weights / sqrt(fan-in)
    fresh_noise: bool = False  # noisy copies redrawn every epoch
    loss_history: tuple[tuple[int, float], ...] = ()
    pixels_digest: str = ""
    trained_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def signature(self) -> str:
        return f"{self.rows}x{self.cols}:" + "".join(self.letters)


@dataclass
class Model:
    network: Network
    meta: ModelMeta

    def fits(self, alphabet: Alphabet) -> bool:
        return self.meta.signature == alphabet.signature()

    def mismatch(self, alphabet: Alphabet) -> str | None:
        """Why this model is out of date for `alphabet`, or None when it fits."""
        m = self.meta
        if (m.rows, m.cols) != (alphabet.rows, alphabet.cols):
            return (
                f"the model was trained on {m.rows}x{m.cols} letters but alphabet "
                f"'{alphabet.name}' is {alphabet.rows}x{alphabet.cols}"
            )
        if m.letters != alphabet.labels:
            added = [x for x in alphabet.labels if x not in m.letters]
            removed = [x for x in m.letters if x not in alphabet.labels]
            parts = []
            if added:
                parts.append("added " + " ".join(added))
            if removed:
                parts.append("removed " + " ".join(removed))
            if not parts:
                parts.append("reordered")
            return f"letters changed since training ({'; '.join(parts)})"
        return None


def model_path(root: Path, alphabet_name: str) -> Path:
    return paths.models_dir(root) / f"{alphabet_name}.npz"


def to_bytes(model: Model) -> bytes:
    net = model.network
    meta = {"format": FORMAT, "version": FORMAT_VERSION, **asdict(model.meta)}
    buffer = io.BytesIO()
    np.savez(
        buffer,
        W1=net.W1,
        b1=net.b1,
        W2=net.W2,
        b2=net.b2,
        meta=np.array(json.dumps(meta)),
    )
    return buffer.getvalue()


def previous_path(path: Path) -> Path:
    """Where `save_model` keeps the model it replaces: models/<name>.previous.npz."""
    return path.with_name(f"{path.stem}.previous{path.suffix}")


def save_model(model: Model, path: Path) -> str | None:
    """Save atomically, keeping the model it replaces as `previous_path(path)` (one
    generation, also written atomically), so no run can lose a good model for good.

    A corrupt file already at `path` is kept aside instead (`<name>.npz.corrupt-<time>`),
    never overwritten silently, and the last good `.previous.npz` is left alone: returns a
    sentence saying where the corrupt file went, or None. Every caller (headless training,
    Train, the quiz's own training, the server) saves through here.
    """
    note = None
    try:
        old: bytes | None = path.read_bytes()
    except FileNotFoundError:
        old = None
    if old is not None:
        try:
            from_bytes(old, str(path))
        except ModelError:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            kept = path.with_name(f"{path.name}.corrupt-{stamp}")
            path.replace(kept)
            note = f"the previous file {path} could not be read; it was kept as {kept}"
        else:
            paths.atomic_write_bytes(previous_path(path), old)
    paths.atomic_write_bytes(path, to_bytes(model))
    return note


def clean_letters_read(network: Network, alphabet: Alphabet) -> int:
    """How many of the alphabet's clean letters (noise 0) the network reads right."""
    truth = alphabet.targets().argmax(axis=1)
    return int(np.count_nonzero(np.asarray(network.predict(alphabet.matrix())) == truth))


def saved_clean_letters_read(path: Path, alphabet: Alphabet) -> int | None:
    """`clean_letters_read` of the model saved at `path`; None when there is none to judge
    (no file, a file that cannot be read, or a model for other letters): replacing those
    loses nothing that reads this alphabet, and `save_model` keeps them anyway."""
    try:
        model = load_model(path)
    except ModelError:
        return None
    if model.mismatch(alphabet):
        return None
    return clean_letters_read(model.network, alphabet)


def load_model(path: Path) -> Model:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{path}: no model file") from None
    except OSError as error:
        raise ModelError(f"{path}: cannot read the model: {error.strerror}") from None
    return from_bytes(data, str(path))


def from_bytes(data: bytes, where: str = "<model>") -> Model:
    # The hint names the alphabet: abc for abc.npz and for abc.previous.npz.
    name = Path(where).stem.removesuffix(".previous") if where.endswith(".npz") else ""
    hint = "retrain it: letter-tui train --headless" + (f" --alphabet {name}" if name else "")
    if not data.startswith(b"PK"):
        # np.load would guess at a pickle for any other bytes and say so.
        raise ModelError(f"{where}: not a readable model file (not an .npz archive); {hint}")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as error:
        raise ModelError(f"{where}: not a readable model file ({_why(error)}); {hint}") from None
    missing = [k for k in ("W1", "b1", "W2", "b2", "meta") if k not in arrays]
    if missing:
        raise ModelError(f"{where}: model file lacks {', '.join(missing)}; {hint}")
    try:
        raw = json.loads(str(arrays["meta"]))
        if raw.pop("format", None) != FORMAT:
            raise ValueError("not a letter-tui model")
        version = raw.pop("version", None)
        if version != FORMAT_VERSION:
            raise ValueError(f"format version {version!r}, expected {FORMAT_VERSION}")
        raw["letters"] = tuple(raw["letters"])
        raw["loss_history"] = tuple((int(e), float(v)) for e, v in raw.get("loss_history", ()))
        meta = ModelMeta(**raw)
        if meta.output not in OUTPUTS:
            raise ValueError(f"unknown output {meta.output!r}")
    except (ValueError, TypeError, KeyError) as error:
        raise ModelError(f"{where}: bad model metadata ({error}); {hint}") from None
    W1, b1, W2, b2 = (np.asarray(arrays[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    n_in, n_hid, n_out = meta.rows * meta.cols, meta.hidden, len(meta.letters)
    expected = {"W1": (n_in, n_hid), "b1": (1, n_hid), "W2": (n_hid, n_out), "b2": (1, n_out)}
    for key, array in zip(("W1", "b1", "W2", "b2"), (W1, b1, W2, b2), strict=True):
        if array.shape != expected[key]:
            raise ModelError(
                f"{where}: {key} has shape {array.shape}, expected {expected[key]}; {hint}"
            )
        if not np.all(np.isfinite(array)):
            raise ModelError(f"{where}: {key} holds values that are not finite; {hint}")
    return Model(Network(W1, b1, W2, b2, meta.output), meta)


def load_for(root: Path, alphabet: Alphabet) -> Model:
    """The saved model for `alphabet`, checked to fit it."""
    path = model_path(root, alphabet.name)
    if not path.exists():
        raise ModelError(
            f"no trained model for alphabet '{alphabet.name}' ({path}); "
            f"train one first: letter-tui train --headless --alphabet {alphabet.name}"
        )
    model = load_model(path)
    problem = model.mismatch(alphabet)
    if problem:
        raise ModelError(
            f"{path}: the model does not fit alphabet '{alphabet.name}': {problem}; "
            f"retrain it: letter-tui train --headless --alphabet {alphabet.name}"
        )
    return model


def _why(error: Exception) -> str:
    """NumPy's reason in a few words. Its own text for object arrays suggests loading pickles
    unsafely, which is advice a user should never get from us."""
    if isinstance(error, zipfile.BadZipFile | EOFError):
        return "truncated or not an .npz archive"
    text = str(error)
    if "pickle" in text:
        return "it holds pickled Python objects, which are never loaded"
    return text.splitlines()[0][:120] if text else type(error).__name__
