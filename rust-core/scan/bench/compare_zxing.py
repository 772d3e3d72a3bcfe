#!/usr/bin/env python3
"""Kasir's decoder (rxing through kasir-scan) side by side with zxing-cpp, in one run.

Decode rate (right / nothing / wrong) and time per image on the barcode photos, and on
1280x720 camera-sized frames made from them (the photo pasted in a grey frame), whole and with
a region of interest. Not a test: numbers for BENCHMARKS and the README.

    python3 -m venv target/zxing-venv && target/zxing-venv/bin/pip install zxing-cpp pillow
    taskset -c 0 target/zxing-venv/bin/python rust-core/scan/bench/compare_zxing.py [PHOTO_DIR]

PHOTO_DIR defaults to rust-core/scan/tests/data/barcodes; the layout is <format>/<set>/<name>.png
beside <name>.txt with the exact expected text. `taskset -c 0` keeps both decoders on one core;
times are the decoding thread's CPU time (on Linux), so a busy machine does not inflate them.
"""

import importlib.metadata
import json
import pathlib
import subprocess
import sys
import time

import zxingcpp
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[3]
DEFAULT_DIR = ROOT / "rust-core/scan/tests/data/barcodes"


def expand_upce(code):
    """The UPC-A (12 digits) a UPC-E (8 digits) stands for, by the GS1 rules."""
    ns, x, check = code[0], code[1:7], code[7]
    last = x[5]
    if last in "012":
        body = f"{ns}{x[0]}{x[1]}{last}0000{x[2]}{x[3]}{x[4]}"
    elif last == "3":
        body = f"{ns}{x[0]}{x[1]}{x[2]}00000{x[3]}{x[4]}"
    elif last == "4":
        body = f"{ns}{x[0]}{x[1]}{x[2]}{x[3]}00000{x[4]}"
    else:
        body = f"{ns}{x[0]}{x[1]}{x[2]}{x[3]}{x[4]}0000{last}"
    return body + check


def matches(fmt, expected, got):
    """zxing-cpp reports UPC-A as 13 digits and UPC-E expanded; Kasir as 12 and 8."""
    norm = lambda s: s.replace("\r\n", "\n")
    if norm(got) == norm(expected):
        return True
    if fmt == "upca" and got == "0" + expected:
        return True
    if fmt == "upce" and len(expected) == 8 and got.lstrip("0") == expand_upce(expected).lstrip("0"):
        return True
    return False


def camera_frame(photo):
    """The photo in the middle of a grey 1280x720 frame, and the region it covers (+16 px)."""
    frame = Image.new("L", (1280, 720), 128)
    w, h = min(photo.width, 1280), min(photo.height, 720)
    left, top = (1280 - w) // 2, (720 - h) // 2
    frame.paste(photo.crop((0, 0, w, h)), (left, top))
    m = 16
    box = (max(left - m, 0), max(top - m, 0), min(left + w + m, 1280), min(top + h + m, 720))
    return frame, box


def zxing(image):
    # CPU time of this thread, as Kasir's side measures it, so that other work on a shared
    # machine counts for neither.
    start = time.thread_time()
    try:
        results = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    except (AttributeError, TypeError):
        results = zxingcpp.read_barcodes(image)
    micros = (time.thread_time() - start) * 1e6
    return (results[0].text if results else None), micros


def main():
    photo_dir = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    run = subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "kasir-scan", "--example", "decode_photos",
         "--", str(photo_dir), "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    kasir = {}
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            kasir[row["file"]] = row

    # [right, nothing, wrong, micros] per (decoder, test, format)
    tally = {}

    def count(key, fmt, expected, got, micros):
        t = tally.setdefault(key + (fmt,), [0, 0, 0, 0.0])
        if got is None or got == "":
            t[1] += 1
        elif matches(fmt, expected, got):
            t[0] += 1
        else:
            t[2] += 1
        t[3] += micros

    for png in sorted(photo_dir.glob("*/*/*.png")):
        fmt = png.parent.parent.name
        rel = str(png.relative_to(photo_dir))
        expected = png.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        photo = Image.open(png).convert("L")
        frame, box = camera_frame(photo)
        k = kasir[rel]
        count(("kasir", "photo"), fmt, expected, k["text"] or None, k["micros"])
        count(("kasir", "frame"), fmt, expected, k["frame_text"] or None, k["frame_micros"])
        count(("kasir", "region"), fmt, expected, k["roi_text"] or None, k["roi_micros"])
        for test, image in (("photo", photo), ("frame", frame), ("region", frame.crop(box))):
            got, micros = zxing(image)
            count(("zxing-cpp", test), fmt, expected, got, micros)

    version = getattr(zxingcpp, "__version__", None) or importlib.metadata.version("zxing-cpp")
    print(f"zxing-cpp {version}, photos from {photo_dir}")
    print("test    format   decoder     right nothing wrong  ms/image")
    for test in ("photo", "frame", "region"):
        for fmt in sorted({k[2] for k in tally}):
            for decoder in ("kasir", "zxing-cpp"):
                r, n, w, us = tally[(decoder, test, fmt)]
                total = r + n + w
                print(f"{test:7} {fmt:8} {decoder:10} {r:3}/{total:<3} {n:6} {w:5} {us / total / 1000:8.2f}")
    wrong = sum(t[2] for k, t in tally.items() if k[0] == "kasir")
    print(f"kasir wrong reads: {wrong}")


if __name__ == "__main__":
    main()
