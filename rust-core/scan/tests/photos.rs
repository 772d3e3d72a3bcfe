//! Real photos and scans of barcodes (`tests/data/barcodes/`, ZXing blackbox images, see the
//! README there) decoded through the camera-frame path.
//!
//! Each image must decode to its expected text or to nothing: a wrong code is a failure, no
//! result on a hopeless image is not. The decode rate per format is printed
//! (`cargo test -p kasir-scan --features image --test photos -- --nocapture`) and must not fall
//! below what this decoder reached when the test was written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kasir_scan::frame::{DecodeOptions, Format, Frame, FrameDecoder, Region};
use kasir_scan::image_file;
use kasir_scan::{Read, Symbology};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/barcodes")
}

fn images(format: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for set in std::fs::read_dir(data().join(format)).unwrap().flatten() {
        for file in std::fs::read_dir(set.path()).unwrap().flatten() {
            if file.path().extension().is_some_and(|e| e == "png") {
                found.push(file.path());
            }
        }
    }
    found.sort();
    found
}

fn expected(image: &Path) -> String {
    std::fs::read_to_string(image.with_extension("txt"))
        .unwrap()
        .replace("\r\n", "\n")
}

/// Whether `read` is the expected text, in the symbology the folder holds.
fn is_expected(format: &str, expected: &str, read: &Read) -> bool {
    let text = read.text.replace("\r\n", "\n");
    let symbology_fits = match format {
        "ean13" => read.symbology == Symbology::Ean13,
        "ean8" => read.symbology == Symbology::Ean8,
        "upca" => read.symbology == Symbology::UpcA,
        "upce" => read.symbology == Symbology::UpcE,
        "code128" => matches!(read.symbology, Symbology::Code128 | Symbology::Gs1_128),
        _ => matches!(read.symbology, Symbology::QrCode | Symbology::Gs1Qr),
    };
    symbology_fits && text == expected
}

fn photo_decoder() -> FrameDecoder {
    FrameDecoder::new(DecodeOptions {
        formats: Format::ALL.to_vec(),
        try_harder: true,
        downscale: 1,
    })
    .unwrap()
}

#[test]
fn photos_decode_to_their_text_or_to_nothing() {
    let decoder = photo_decoder();
    // The fewest images per format that must decode (out of the copies in tests/data).
    let floors = [
        ("code128", 7),
        ("ean13", 23),
        ("ean8", 5),
        ("qrcode", 25),
        ("upca", 10),
        ("upce", 13),
    ];
    let mut wrong = Vec::new();
    let mut rates = BTreeMap::new();
    for (format, floor) in floors {
        let (mut right, mut total) = (0, 0);
        for image in images(format) {
            total += 1;
            let gray = image_file::read(&image).unwrap();
            let Some(read) = decoder.decode(&gray.frame()).unwrap() else {
                continue;
            };
            let want = expected(&image);
            if is_expected(format, &want, &read) {
                right += 1;
            } else {
                wrong.push(format!(
                    "{}: expected {want:?}, read {read:?}",
                    image.display()
                ));
            }
        }
        println!("{format:8} {right:3} of {total:3} decoded");
        rates.insert(format, (right, total, floor));
    }
    assert!(wrong.is_empty(), "wrong reads:\n{}", wrong.join("\n"));
    for (format, (right, total, floor)) in rates {
        assert!(total > 0, "no {format} images");
        assert!(
            right >= floor,
            "{format}: {right} of {total} decoded, fewer than {floor}"
        );
    }
}

#[test]
fn a_camera_frame_with_padded_rows_and_a_region_decodes_like_the_photo() {
    // An EAN-13 photo pasted into a grey 1280x720 frame whose rows are padded to 1344 bytes.
    let image = data().join("ean13/ean13-3/01.png");
    let photo = image_file::read(&image).unwrap();
    let (width, height, stride) = (1280u32, 720u32, 1344u32);
    let (left, top) = (400u32, 200u32);
    let mut pixels = vec![128u8; (stride * height) as usize];
    for y in 0..photo.height {
        let from = (y * photo.width) as usize;
        let to = ((top + y) * stride + left) as usize;
        pixels[to..to + photo.width as usize]
            .copy_from_slice(&photo.pixels[from..from + photo.width as usize]);
    }
    let region = Region {
        left: left - 20,
        top: top - 20,
        width: photo.width + 40,
        height: photo.height + 40,
    };
    let frame = Frame {
        pixels: &pixels,
        width,
        height,
        row_stride: stride,
        region: Some(region),
    };
    let live = FrameDecoder::new(DecodeOptions {
        formats: Format::RETAIL.to_vec(),
        try_harder: false,
        downscale: 1,
    })
    .unwrap();
    let read = live.decode(&frame).unwrap().expect("decodes in the region");
    assert_eq!(read.text, expected(&image));
    assert_eq!(read.symbology, Symbology::Ean13);

    // A region beside the barcode finds nothing.
    let empty = Frame {
        region: Some(Region {
            left: 0,
            top: 0,
            width: 300,
            height: 150,
        }),
        ..frame
    };
    assert_eq!(live.decode(&empty).unwrap(), None);
}

#[test]
fn misread_traps_stay_unread_in_a_camera_sized_frame() {
    // Images on which looser settings read another valid code: pasted into a 1280x720 frame
    // and decoded as hard as a photo, they give their own text or nothing.
    let decoder = photo_decoder();
    for trap in [
        "ean13/ean13-4/01.png",
        "upca/upca-2/01.png",
        "upca/upca-3/14.png",
        "upca/upca-3/16.png",
        "upce/upce-2/14.png",
    ] {
        let image = data().join(trap);
        let photo = image_file::read(&image).unwrap();
        let (width, height) = (1280u32, 720u32);
        let mut pixels = vec![128u8; (width * height) as usize];
        let (left, top) = ((width - photo.width) / 2, (height - photo.height) / 2);
        for y in 0..photo.height {
            let from = (y * photo.width) as usize;
            let to = ((top + y) * width + left) as usize;
            pixels[to..to + photo.width as usize]
                .copy_from_slice(&photo.pixels[from..from + photo.width as usize]);
        }
        let read = decoder
            .decode(&Frame::packed(&pixels, width, height))
            .unwrap();
        let format = trap.split('/').next().unwrap();
        if let Some(read) = read {
            assert!(
                is_expected(format, &expected(&image), &read),
                "{trap}: {read:?}"
            );
        }
    }
}

#[test]
fn a_photo_halved_to_thin_bars_gives_its_text_or_nothing() {
    // Shrunk by 2, this EAN-13's bars are 1.3 pixels wide and rows averaged with their
    // neighbours read it, again and again, as another valid EAN-13.
    let image = data().join("ean13/ean13-2/08.png");
    let photo = image_file::read(&image).unwrap();
    for try_harder in [false, true] {
        let decoder = FrameDecoder::new(DecodeOptions {
            formats: Format::ALL.to_vec(),
            try_harder,
            downscale: 2,
        })
        .unwrap();
        if let Some(read) = decoder.decode(&photo.frame()).unwrap() {
            assert!(
                is_expected("ean13", &expected(&image), &read),
                "try_harder {try_harder}: {read:?}"
            );
        }
    }
}
