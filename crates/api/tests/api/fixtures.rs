//! Images and multipart bodies for upload tests.
#![expect(clippy::expect_used, reason = "test fixtures")]

use actix_web::test::TestRequest;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageBuffer, ImageFormat, Rgb, Rgba};
use std::io::Cursor;

/// Text that marks the EXIF block of [`jpeg_with_exif`]; it must not survive.
pub const EXIF_SECRET: &[u8] = b"GPS-51.5N-SECRET";

/// A JPEG photo of `width`×`height` pixels.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([(x % 251) as u8, (y % 241) as u8, 120])
    });
    let mut bytes = Vec::new();
    JpegEncoder::new(&mut bytes)
        .encode_image(&image)
        .expect("encode jpeg");
    bytes
}

/// A JPEG with an EXIF (APP1) block carrying [`EXIF_SECRET`], as phones write
/// camera and location data.
pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    // A minimal big-endian TIFF header with an empty IFD, then the secret.
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(EXIF_SECRET);
    let length = u16::try_from(exif.len() + 2).expect("small segment");
    let mut bytes = plain[..2].to_vec(); // SOI
    bytes.extend_from_slice(&[0xFF, 0xE1]);
    bytes.extend_from_slice(&length.to_be_bytes());
    bytes.extend_from_slice(&exif);
    bytes.extend_from_slice(&plain[2..]);
    bytes
}

/// A PNG screenshot-like image with transparency.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = ImageBuffer::from_fn(width, height, |x, _| Rgba([0, 0, (x % 256) as u8, 200]));
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .expect("encode png");
    bytes
}

/// Whether `haystack` contains `needle`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// One part of a multipart body.
pub enum Part<'a> {
    /// A text field.
    Text(&'a str, &'a str),
    /// A file field: name, file name, declared type, bytes.
    File(&'a str, &'a str, &'a str, &'a [u8]),
}

/// A request carrying `parts` as `multipart/form-data`.
pub fn multipart(request: TestRequest, parts: &[Part<'_>]) -> TestRequest {
    let boundary = "hubbub-test-boundary-7d1f";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend_from_slice(value.as_bytes());
            }
            Part::File(name, file_name, content_type, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    request
        .insert_header((
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        ))
        .set_payload(body)
}

/// Every file under `dir`, recursively.
pub fn files_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_in(&path));
        } else {
            found.push(path);
        }
    }
    found
}
