"""`letter-tui explain` and `fool`: why the network reads a grid so, and how few flips
change it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from letter_tui.cli.commands import alphabet_for, cmd_app, data_root, read_grids
from letter_tui.core.errors import UsageError

EFFECT_STEPS = (0.1, 1 / 3, 2 / 3)
EFFECT_LEGEND = (
    "; each pixel: how the guess's output changes if that pixel alone is flipped, against "
    "the grid's largest change: + / ++ / +++ up by 1/10 / 1/3 / 2/3 of it or more, "
    "- / -- / --- down as much, . less (the sizes: --numbers)"
)


def effect_cells(effects: Sequence[float]) -> list[str]:
    """The map's cells for one grid: sign by the character, strength by how many, 3 wide."""
    largest = max((abs(e) for e in effects), default=0.0)
    cells = []
    for effect in effects:
        strength = sum(abs(effect) >= step * largest for step in EFFECT_STEPS) if largest else 0
        sign = "+" if effect > 0 else "-"
        cells.append(sign * strength + " " * (3 - strength) if strength else ".  ")
    return cells


def cmd_explain(args: argparse.Namespace) -> int:
    from letter_tui.core import model_io
    from letter_tui.core.effects import explain

    root = data_root(args)
    alphabet = alphabet_for(args)
    model = model_io.load_for(root, alphabet)
    grids = read_grids(args.file, alphabet)
    if not args.numbers:
        print(EFFECT_LEGEND)
    for grid in grids:
        why = explain(model.network, grid.bitmap)
        print(f"{grid.label}\t{alphabet.labels[why.guess]}\t{why.output:.6f}")
        cells = effect_cells(why.effects)
        for r in range(alphabet.rows):
            row = slice(r * alphabet.cols, (r + 1) * alphabet.cols)
            if args.numbers:
                print("\t".join(f"{e:.6f}" for e in why.effects[row]))
            else:
                print(" ".join(cells[row]).rstrip())
    return 0


def cmd_fool(args: argparse.Namespace) -> int:
    from letter_tui.services.launch_options import find_letter

    # `letter-tui fool A | ...` and scripts get the text: the app needs a terminal to draw on.
    if not args.headless and args.letter and not sys.stdout.isatty():
        args.headless = True
    if not args.headless:
        if args.letter:
            find_letter(alphabet_for(args), args.letter)
        return cmd_app(args, mode="fool")
    if not args.letter:
        raise UsageError("fool --headless needs a LETTER, e.g. letter-tui fool --headless A")
    from letter_tui.core import model_io
    from letter_tui.core.effects import flipped_grid, ideal_minimum, ideal_reading, minimum_flips

    root = data_root(args)
    alphabet = alphabet_for(args)
    index = alphabet.index(find_letter(alphabet, args.letter))
    model = model_io.load_for(root, alphabet)
    bitmap = alphabet.bitmaps[index]
    result = minimum_flips(model.network, bitmap, index, alphabet)
    cols = alphabet.cols
    ideal = ideal_reading(flipped_grid(bitmap, result.pixels), alphabet)
    names = [alphabet.labels[i] for i in ideal]
    print(f"flips: {result.flips}")
    print("pixels: " + " ".join(f"{p // cols + 1},{p % cols + 1}" for p in result.pixels))
    print(f"network reads: {alphabet.labels[result.reads]}")
    print(
        "ideal observer reads: "
        + (names[0] if len(names) == 1 else " or ".join(names) + " (a tie)")
    )
    print(f"ideal observer needs: {ideal_minimum(alphabet, index)}")
    if not result.found:
        print("proven: no (no flips found that change the network's reading)")
    elif result.proven:
        print(f"proven: yes (every set of up to {result.flips} flips was tried)")
    else:
        print(
            f"proven: no (every set of up to {result.searched_up_to} flips was tried; "
            f"these {result.flips} were found by a search)"
        )
    return 0
