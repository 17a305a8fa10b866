"""A check's figure: a scatter plot kept as data (labelled point sets), drawn as an inline SVG
for HTML feedback and as a PNG for the report folder. Both are written here by hand (a PNG is
a zlib stream of rows): a plotting library would cost seconds of import on every grading run
for a few hundred dots."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import torch

COLOURS = ((31, 119, 180), (214, 39, 40), (44, 160, 44))  # one per series, in order
SIZE, PAD = 320, 12
KEPT_POINTS = 600  # per series: enough to see a shape, small enough for results.jsonl


def scatter(title: str, series: dict[str, torch.Tensor]) -> dict[str, Any]:
    """A figure: `series` maps a label to points (N, 2); the first KEPT_POINTS of each are kept."""
    return {"kind": "scatter", "title": title,
            "series": [{"label": label, "points": [[round(float(x), 4), round(float(y), 4)] for x, y in
                                                   points[:KEPT_POINTS].to(torch.float64).tolist()]}
                       for label, points in series.items()]}


def _pixels(figure: dict[str, Any]) -> list[tuple[int, list[tuple[float, float]]]]:
    """(series index, points in pixel coordinates), one frame for every series, y pointing down."""
    every = [p for s in figure["series"] for p in s["points"] if all(abs(v) < 1e6 for v in p)]
    if not every:
        return []
    low = [min(p[i] for p in every) for i in (0, 1)]
    span = max(max(p[i] for p in every) - low[i] for i in (0, 1)) or 1.0
    scale = (SIZE - 2 * PAD) / span
    return [(k, [(PAD + (x - low[0]) * scale, SIZE - PAD - (y - low[1]) * scale) for x, y in s["points"]
                 if abs(x) < 1e6 and abs(y) < 1e6]) for k, s in enumerate(figure["series"])]


def svg(figure: dict[str, Any]) -> str:
    """The figure as an inline SVG element (numbers and the grader's labels only)."""
    from markupsafe import escape

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE + 20}" role="img">',
             f"<title>{escape(figure['title'])}</title>"]
    for k, points in _pixels(figure):
        colour = "rgb(%d,%d,%d)" % COLOURS[k % len(COLOURS)]
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.5" fill="{colour}" fill-opacity="0.6"/>' for x, y in points]
    for k, s in enumerate(figure["series"]):
        colour = "rgb(%d,%d,%d)" % COLOURS[k % len(COLOURS)]
        parts.append(f'<text x="{PAD + 150 * k}" y="{SIZE + 14}" fill="{colour}" font-size="12">{escape(s["label"])}</text>')
    return "".join(parts) + "</svg>"


def png(figure: dict[str, Any]) -> bytes:
    """The figure's dots as an RGB PNG (white ground, 3x3 dots; no text: the labels are in the report)."""
    image = bytearray(b"\xff" * (SIZE * SIZE * 3))
    for k, points in _pixels(figure):
        colour = bytes(COLOURS[k % len(COLOURS)])
        for x, y in points:
            for row in range(int(y) - 1, int(y) + 2):
                for col in range(int(x) - 1, int(x) + 2):
                    if 0 <= row < SIZE and 0 <= col < SIZE:
                        image[3 * (row * SIZE + col):3 * (row * SIZE + col) + 3] = colour
    rows = b"".join(b"\x00" + bytes(image[3 * SIZE * r:3 * SIZE * (r + 1)]) for r in range(SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def with_svgs(report: dict[str, Any]) -> dict[str, Any]:
    """A report (as JSON) whose checks' figures also come drawn, as `svg` markup for a page."""
    from markupsafe import Markup

    checks = [{**c, "svg": Markup(svg(c["figure"]))} if c.get("figure") else c for c in report["checks"]]
    return {**report, "checks": checks}
