#!/usr/bin/env python3
"""Generate a synthetic Kasir catalog CSV for benchmarks.

Usage (from the repository root):

    python3 scripts/gen_catalog.py [--rows N] [--out FILE]

Writes N rows (default 100,000) with the header
gtin,sku,name,price,tax_category,unit,category,stock to FILE (default: standard output).
Every GTIN is a distinct EAN-13 with the Indonesian prefix 899 and a valid GS1 check digit;
names come from a small word list, prices are whole rupiah, tax_category is ppn or exempt
(one in five), unit is each. The output is deterministic for a given N. Python 3 standard
library only.
"""

import argparse
import csv
import sys

BRANDS = [
    "Indofood", "Sedap", "ABC", "Bango", "Sosro", "Kapal Api", "Ultra", "Frisian", "Roma",
    "Khong Guan", "Sania", "Bimoli", "Lifebuoy", "Sunlight", "Aqua", "Sariwangi",
]
PRODUCTS = [
    "Mie Goreng", "Mie Kuah", "Kecap Manis", "Saus Sambal", "Teh Celup", "Kopi Bubuk",
    "Susu UHT", "Gula Pasir", "Beras Pulen", "Minyak Goreng", "Biskuit Kelapa", "Wafer",
    "Roti Tawar", "Sabun Mandi", "Sabun Cuci", "Air Mineral", "Sirup", "Kacang Tanah",
    "Santan Kelapa", "Tepung Terigu", "Garam Dapur", "Sarden", "Kerupuk Udang", "Keju Cheddar",
]
FLAVOURS = [
    "Original", "Pedas", "Ayam Bawang", "Soto", "Coklat", "Vanila", "Stroberi", "Jeruk",
    "Melati", "Rendang", "Keju", "Lemon",
]
SIZES = ["75g", "85g", "200g", "250g", "500g", "1kg", "250ml", "600ml", "1L", "2L"]
CATEGORIES = [
    "Makanan Instan", "Bumbu Dapur", "Minuman", "Susu & Olahan", "Sembako",
    "Makanan Ringan", "Perawatan Diri", "Kebersihan Rumah",
]
HEADER = ["gtin", "sku", "name", "price", "tax_category", "unit", "category", "stock"]
MASK = (1 << 64) - 1


def check_digit(data: str) -> int:
    """GS1 mod-10 check digit of `data` (weights 3, 1, 3, ... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(data)))
    return (10 - total % 10) % 10


def gtin13(i: int) -> str:
    # 7,919,993 is coprime with 10**9, so every i below 10**9 gets its own code.
    body = "899%09d" % ((i * 7_919_993 + 12_345) % 1_000_000_000)
    return body + str(check_digit(body))


def mix(i: int) -> int:
    """SplitMix64, so the catalog is the same on every run."""
    z = (i + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def rows(n: int):
    for i in range(n):
        h = mix(i)
        name = " ".join([
            BRANDS[h % len(BRANDS)],
            PRODUCTS[(h >> 8) % len(PRODUCTS)],
            FLAVOURS[(h >> 16) % len(FLAVOURS)],
            SIZES[(h >> 24) % len(SIZES)],
        ])
        price = 1_000 + ((h >> 32) % 1_980) * 50
        tax = "exempt" if (h >> 44) % 5 == 0 else "ppn"
        category = CATEGORIES[(h >> 48) % len(CATEGORIES)]
        stock = (h >> 52) % 500
        yield [gtin13(i), "SKU-%06d" % i, name, price, tax, "each", category, stock]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="number of items")
    parser.add_argument("--out", help="output file (default: standard output)")
    args = parser.parse_args()
    if args.rows < 0 or args.rows >= 1_000_000_000:
        parser.error("--rows must be between 0 and 999,999,999")
    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout
    try:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows(args.rows))
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
