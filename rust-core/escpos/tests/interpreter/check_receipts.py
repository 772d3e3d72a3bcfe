"""Renders Kasir's ESC/POS output with an independent interpreter and checks what it printed.

The interpreter is emupos (a virtual receipt printer from PyPI, Apache-2.0): its Epson TM-T20III
model tokenises the bytes, renders them to a one-bit PNG and a text dump, and reports every
command it does not understand. QR codes and barcodes are read back from the PNG with zxing-cpp.

    python check_receipts.py DIR     # DIR holds the .bin files of `--example render`

The expected values below were worked out by hand from the sample sales in
`tests/common/mod.rs`, not taken from Kasir's code. Exit status 1 on any mismatch.
"""

import io
import sys
from importlib import resources
from pathlib import Path

import yaml
import zxingcpp
from emupos.config import PrinterProfile
from emupos.events import EventType
from emupos.printer.printer import Printer
from PIL import Image


def profile(width_dots: int) -> PrinterProfile:
    """Epson's TM-T20III as emupos ships it, at `width_dots` (384 for 58 mm, 576 for 80 mm)."""
    path = resources.files("emupos").joinpath("profiles", "printers", "epson-tm-t20iii.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["width_dots"] = width_dots
    return PrinterProfile.model_validate(raw)


def render(data: bytes, width_dots: int):
    printer = Printer(
        "kasir", profile(width_dots), sensor_open_level="high", job_idle_timeout_ms=1000
    )
    connection = "file:kasir"
    out = printer.open_connection(connection, 0.0)
    out = out + printer.receive(connection, data, 0.0)
    out = out + printer.close_connection(connection, 0.0)
    return out.receipts, out.events


def codes(png: bytes) -> list[tuple[str, str]]:
    image = Image.open(io.BytesIO(png)).convert("L")
    # A quiet margin helps the reader with codes printed near the paper's edge.
    framed = Image.new("L", (image.width + 40, image.height + 40), 255)
    framed.paste(image, (20, 20))
    return [(str(r.format), r.text) for r in zxingcpp.read_barcodes(framed)]


def cols(left: str, right: str, width: int) -> str:
    """Two columns as a receipt prints them: left flush left, right flush right."""
    return left + " " * (width - len(left) - len(right)) + right


# Hand arithmetic for the sample sales (PPN 12% on an 11/12 base is 11% of the price net of
# tax, contained in the price):
# - small: 3 x 3.500 = 10.500; net 10.500 / 1,11 = 9.459,46 -> 9.459, PPN 10.500 - 9.459 =
#   1.041, DPP 9.459 x 11/12 = 8.670,75 -> 8.671; cash 20.000, change 9.500.
# - cafe: 2 x 18,000 + 35,000 - 10% + 3 x 2,000 = 73,500; less 5,000 = 68,500; tip 5,000
#   (untaxed): total 73,500. Net 68,500 / 1.11 = 61,711.7 -> 61,712, PPN 6,788, base
#   61,712 x 11/12 = 56,569.3 -> 56,569. Card 50,000, cash 33,500, change 10,000.
# file -> (paper dots, lines that must appear in the text dump, codes read from the picture,
#          drawer pulses)
EXPECTED = {
    "small-58": (
        384,
        [
            "Warung Sederhana",
            "Jl. Merdeka 17, Bandung",
            "NPWP 01.234.567.8-901.000",
            cols("No D01-000042", "03/12/2026 10:15", 32),
            "Indomie Goreng",
            cols("  3 x 3.500", "10.500", 32),
            cols("TOTAL", "Rp 10.500", 32),
            cols("Tunai", "20.000", 32),
            cols("Kembali", "9.500", 32),
            cols("DPP PPN 12%", "8.671", 32),
            cols("PPN 12%", "1.041", 32),
            "(Harga sudah termasuk PPN)",
            "Terima kasih",
        ],
        [("QR Code", "https://struk.example/r/D01-000042")],
        0,
    ),
    "small-58-cn": (
        384,
        [
            "Warung Sederhana",
            cols("TOTAL", "Rp 10.500", 32),
            cols("PPN 12%", "1.041", 32),
            "[qr https://struk.example/r/D01-000042]",  # drawn by the printer (GS ( k)
        ],
        [("QR Code", "https://struk.example/r/D01-000042")],
        0,
    ),
    "thai-58": (
        384,
        [
            # 7 cells (the 4 marks above and below take none) of 12 dots = 84, padded to 88;
            # one Font A line (24 dots) tall.
            "[image 88x24]",
            cols("  3 x 3.500", "10.500", 32),
            cols("TOTAL", "Rp 10.500", 32),
        ],
        [],
        0,
    ),
    "small-80": (
        576,
        [
            "Warung Sederhana",
            cols("No D01-000042", "03/12/2026 10:15", 48),
            cols("  3 x 3.500", "10.500", 48),
            cols("TOTAL", "Rp 10.500", 48),
            cols("PPN 12%", "1.041", 48),
        ],
        [
            ("QR Code", "https://struk.example/r/D01-000042"),
            ("Code 128", "D01-000042"),
        ],
        1,
    ),
    "cafe-80-font-b": (
        576,
        [
            "Café Müller",
            "Es Kopi Susu Gula Aren",
            cols("  2 x 18,000", "36,000", 64),
            cols("  Discount 10%", "-3,500", 64),
            cols("Subtotal (6 items)", "73,500", 64),
            cols("Discount", "-5,000", 64),
            cols("Tip", "5,000", 64),
            cols("TOTAL", "Rp 73,500", 64),
            cols("Card VISA **1234 A1B2C3", "50,000", 64),
            cols("Cash", "33,500", 64),
            cols("Change", "10,000", 64),
            cols("Base PPN 12%", "56,569", 64),
            cols("PPN 12%", "6,788", 64),
            "Grüße – 3,50 € Trinkgeld",
        ],
        [("QR Code", "https://struk.example/r/D01-000043")],
        0,
    ),
    "kitchen-dapur": (
        576,
        ["DAPUR DAPUR", "Meja 12", "1 x Nasi Goreng Spesial", "   - tidak pedas", "3 x Kerupuk"],
        [],
        0,
    ),
    "kitchen-bar": (576, ["DAPUR BAR", "Meja 12", "2 x Es Kopi Susu Gula Aren"], [], 0),
    "test-page-80": (
        576,
        [
            "KASIR TEST PAGE",
            "epson-tm-t88",
            "123456789012345678901234567890123456789012345678",
            # Three code pages in one line: CP858 for the Latin letters and the euro, CP866 for
            # the Cyrillic, switched by ESC t as the line goes.
            "Crème brûlée 3,50 € - Ærø - Привет",
            "1234567890123456789012345678901234567890123456789012345678901234",
        ],
        [("QR Code", "https://example.invalid/kasir"), ("EAN-13", "8992388101016")],
        0,
    ),
}


def main() -> int:
    folder = Path(sys.argv[1])
    failures: list[str] = []
    for name, (dots, lines, wanted_codes, pulses) in EXPECTED.items():
        data = (folder / f"{name}.bin").read_bytes()
        receipts, events = render(data, dots)
        unknown = [e.data for e in events if e.type == EventType.PRINTER_COMMAND_UNKNOWN]
        unsupported = [e.data for e in events if e.type == EventType.PRINTER_CODEPAGE_UNSUPPORTED]
        opened = [e for e in events if e.type == EventType.DRAWER_OPENED]
        if len(receipts) != 1:
            failures.append(f"{name}: {len(receipts)} receipts printed, expected 1 (one cut)")
            continue
        receipt = receipts[0]
        (folder / f"{name}.txt").write_text(receipt.text, encoding="utf-8")
        (folder / f"{name}.png").write_bytes(receipt.png)
        printed = receipt.text.splitlines()
        for line in lines:
            if not any(line in p for p in printed):
                failures.append(f"{name}: {line!r} not printed")
        if "\ufffd" in receipt.text:
            failures.append(f"{name}: a byte printed as unknown (U+FFFD)")
        if receipt.width_dots != dots:
            failures.append(f"{name}: rendered {receipt.width_dots} dots wide")
        found = codes(receipt.png)
        for code in wanted_codes:
            if code not in found:
                failures.append(f"{name}: code {code} not read from the picture (read {found})")
        if unknown:
            failures.append(f"{name}: commands the printer did not understand: {unknown}")
        if unsupported:
            failures.append(f"{name}: code pages the printer lacks: {unsupported}")
        if len(opened) != pulses:
            failures.append(f"{name}: {len(opened)} drawer pulses, expected {pulses}")
        print(f"{name}: {len(printed)} lines, {receipt.height_dots} dots tall, codes {found}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
