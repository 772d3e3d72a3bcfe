#!/usr/bin/env python3
"""Converts a few of the barcode photos of rust-core/scan/tests/data/barcodes to grayscale PGM
(P5) frames for the Swift tests, which have no image decoding on Linux.

The photos are from the ZXing "blackbox" test images (Copyright 2007-2020 ZXing authors,
Apache License 2.0; see rust-core/scan/tests/data/README.md); the PGM files are derived from
them under the same licence. Luminance is Rec. 709 (2126 R + 7152 G + 722 B) / 10000, as the
core's image reader converts; frames wider than 640 pixels are halved until they are not.
Standard library only (zlib): non-interlaced PNG, 8-bit gray, RGB, RGBA or palette.

Usage: scripts/barcode-pgm.py  (rewrites ios/KasirKit/Tests/KasirViewModelsTests/Frames/)
"""
import pathlib
import struct
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "rust-core/scan/tests/data/barcodes"
OUT = ROOT / "ios/KasirKit/Tests/KasirViewModelsTests/Frames"
# photo (under PHOTOS, without .png) -> frame name
FRAMES = {
    "ean13/ean13-3/01": "ean13-3-01",
    "ean13/ean13-2/05": "ean13-2-05",
    "upca/upca-2/14": "upca-2-14",
}


def read_png(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, idat, palette = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = [tuple(body[i : i + 3]) for i in range(0, len(body), 3)]
        elif kind == b"IDAT":
            idat += body
    assert interlace == 0, f"{path}: interlaced"
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    assert depth == 8 or colour == 3, f"{path}: {depth}-bit colour type {colour}"
    bits = depth * channels
    row_bytes = (width * bits + 7) // 8
    step = max(1, bits // 8)
    raw = zlib.decompress(idat)
    rows, prev = [], bytearray(row_bytes)
    for y in range(height):
        kind = raw[y * (row_bytes + 1)]
        line = bytearray(raw[y * (row_bytes + 1) + 1 : (y + 1) * (row_bytes + 1)])
        for i in range(row_bytes):
            a = line[i - step] if i >= step else 0
            b = prev[i]
            c = prev[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    gray = bytearray()
    for line in rows:
        for x in range(width):
            if colour == 3:
                per = 8 // depth
                index = (line[x // per] >> ((per - 1 - x % per) * depth)) & ((1 << depth) - 1)
                r, g, b = palette[index]
            elif colour in (0, 4):
                r = g = b = line[x * channels]
            else:
                r, g, b = line[x * channels : x * channels + 3]
            gray.append((2126 * r + 7152 * g + 722 * b) // 10000)
    return width, height, gray


def halve(width, height, gray):
    w, h = width // 2, height // 2
    out = bytearray()
    for y in range(h):
        for x in range(w):
            i = 2 * y * width + 2 * x
            out.append((gray[i] + gray[i + 1] + gray[i + width] + gray[i + width + 1]) // 4)
    return w, h, out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for photo, name in FRAMES.items():
        width, height, gray = read_png(PHOTOS / f"{photo}.png")
        while width > 640:
            width, height, gray = halve(width, height, gray)
        (OUT / f"{name}.pgm").write_bytes(b"P5\n%d %d\n255\n" % (width, height) + bytes(gray))
        (OUT / f"{name}.txt").write_text((PHOTOS / f"{photo}.txt").read_text().strip() + "\n")
        print(f"{photo} -> {name}.pgm {width}x{height}")


if __name__ == "__main__":
    main()
