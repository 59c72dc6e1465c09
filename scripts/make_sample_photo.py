"""Make ``samples/photos/placeholder-silhouette.png``: an invented stand-in for a child's photo.

A plain grey head-and-shoulders silhouette on a light background, drawn pixel by pixel and
written as a PNG with ``zlib`` and ``struct`` only (no imaging library). 90 × 120 pixels, the
3:4 shape of the photo box in the missing profile. No real person.

    python scripts/make_sample_photo.py [--out samples/photos/placeholder-silhouette.png]
"""

from __future__ import annotations

import argparse
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 90, 120
BACKGROUND, FIGURE = 226, 120


def _inside(x: float, y: float) -> bool:
    head = ((x - 45) / 19) ** 2 + ((y - 46) / 23) ** 2 <= 1
    neck = 38 <= x <= 52 and 60 <= y <= 80
    shoulders = y >= 78 and ((x - 45) / 40) ** 2 + ((y - 122) / 44) ** 2 <= 1
    return head or neck or shoulders


def pixels() -> list[bytes]:
    """One row of grey bytes per line of the picture."""
    return [
        bytes(FIGURE if _inside(x + 0.5, y + 0.5) else BACKGROUND for x in range(WIDTH))
        for y in range(HEIGHT)
    ]


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png(rows: list[bytes]) -> bytes:
    """An 8-bit greyscale PNG of ``rows`` (every row filtered with 'none')."""
    header = struct.pack(">IIBBBBB", len(rows[0]), len(rows), 8, 0, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "samples" / "photos" / "placeholder-silhouette.png"
    )
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = png(pixels())
    args.out.write_bytes(data)
    print(f"{args.out}: {len(data)} bytes")


if __name__ == "__main__":
    main()
