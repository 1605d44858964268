//! Checking and re-encoding uploaded images.
//!
//! The format is sniffed from the bytes (never from the file name or the declared
//! type); only JPEG, PNG, GIF and WebP are accepted. The pixel count is checked
//! from the header before anything is decoded, so a small file that claims to be
//! huge costs nothing. The image is then decoded, turned upright by its EXIF
//! orientation and re-encoded: the stored files carry no metadata (EXIF, GPS
//! positions, camera serials), and a file that merely looked like an image is
//! refused because it does not decode. Animated GIFs keep their first frame.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// Longest side of an attachment's preview, in pixels.
pub const PREVIEW_SIZE: u32 = 640;
/// Side of an avatar, in pixels (square).
pub const AVATAR_SIZE: u32 = 400;
/// Side of the small avatar, in pixels (square).
pub const AVATAR_SMALL_SIZE: u32 = 120;
/// JPEG quality of re-encoded photos.
const JPEG_QUALITY: u8 = 88;

/// Why an upload is not an image Hubbub accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    /// Not JPEG, PNG, GIF or WebP (by its bytes).
    #[error("is not a supported image: upload a JPEG, PNG, GIF or WebP file")]
    UnsupportedType,
    /// More pixels than allowed.
    #[error("is {width}×{height} pixels, more than the limit of {max} pixels")]
    TooManyPixels {
        /// Width it claims.
        width: u32,
        /// Height it claims.
        height: u32,
        /// The limit.
        max: u64,
    },
    /// Looks like a supported format but does not decode.
    #[error("could not be read as an image ({0})")]
    Corrupt(String),
}

/// One re-encoded image file.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The file.
    pub bytes: Vec<u8>,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// Its MIME type.
    pub content_type: &'static str,
    /// The file extension for its key.
    pub extension: &'static str,
}

/// An attachment: the full image and its preview.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The full-size image, re-encoded.
    pub original: Encoded,
    /// At most [`PREVIEW_SIZE`] on its longest side.
    pub preview: Encoded,
}

/// An avatar: square, [`AVATAR_SIZE`] and [`AVATAR_SMALL_SIZE`].
#[derive(Debug, Clone)]
pub struct Avatar {
    /// The avatar.
    pub full: Encoded,
    /// The small, static version.
    pub small: Encoded,
}

/// Checks and re-encodes an attachment: full size plus a preview.
pub fn attachment(bytes: &[u8], max_pixels: u64) -> Result<Attachment, ImageProblem> {
    let (image, format) = decode(bytes, max_pixels)?;
    let photo = format == ImageFormat::Jpeg;
    let preview = if image.width() > PREVIEW_SIZE || image.height() > PREVIEW_SIZE {
        image.resize(PREVIEW_SIZE, PREVIEW_SIZE, FilterType::Triangle)
    } else {
        image.clone()
    };
    Ok(Attachment {
        original: encode(&image, photo)?,
        preview: encode(&preview, photo)?,
    })
}

/// Checks and re-encodes an avatar: cropped to a centred square, two sizes.
pub fn avatar(bytes: &[u8], max_pixels: u64) -> Result<Avatar, ImageProblem> {
    let (image, format) = decode(bytes, max_pixels)?;
    let photo = format == ImageFormat::Jpeg;
    let full = image.resize_to_fill(AVATAR_SIZE, AVATAR_SIZE, FilterType::Lanczos3);
    let small = full.resize_to_fill(AVATAR_SMALL_SIZE, AVATAR_SMALL_SIZE, FilterType::Lanczos3);
    Ok(Avatar {
        full: encode(&full, photo)?,
        small: encode(&small, photo)?,
    })
}

fn decode(bytes: &[u8], max_pixels: u64) -> Result<(DynamicImage, ImageFormat), ImageProblem> {
    let format = image::guess_format(bytes).map_err(|_| ImageProblem::UnsupportedType)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP
    ) {
        return Err(ImageProblem::UnsupportedType);
    }
    let corrupt = |error: image::ImageError| ImageProblem::Corrupt(error.to_string());
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > max_pixels || width == 0 || height == 0 {
        return Err(ImageProblem::TooManyPixels {
            width,
            height,
            max: max_pixels,
        });
    }
    // Broken EXIF must not cost the person their upload: it is dropped anyway.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok((image, format))
}

/// Photos (JPEG uploads) stay JPEG; everything else becomes PNG, which keeps
/// transparency and the sharp edges of screenshots.
fn encode(image: &DynamicImage, photo: bool) -> Result<Encoded, ImageProblem> {
    let mut bytes = Vec::new();
    let failed = |error: image::ImageError| ImageProblem::Corrupt(error.to_string());
    let (content_type, extension) = if photo {
        JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
            .encode_image(&image.to_rgb8())
            .map_err(failed)?;
        ("image/jpeg", "jpg")
    } else {
        let pixels = if image.color().has_alpha() {
            DynamicImage::ImageRgba8(image.to_rgba8())
        } else {
            DynamicImage::ImageRgb8(image.to_rgb8())
        };
        pixels
            .write_with_encoder(PngEncoder::new(&mut bytes))
            .map_err(failed)?;
        ("image/png", "png")
    };
    Ok(Encoded {
        bytes,
        width: image.width(),
        height: image.height(),
        content_type,
        extension,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = ImageBuffer::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut bytes = Vec::new();
        JpegEncoder::new(&mut bytes).encode_image(&image).unwrap();
        bytes
    }

    #[test]
    fn a_large_photo_gets_a_preview_no_wider_than_640_pixels() {
        let upload = attachment(&jpeg(1600, 800), 10_000_000).unwrap();
        assert_eq!((upload.original.width, upload.original.height), (1600, 800));
        assert_eq!((upload.preview.width, upload.preview.height), (640, 320));
        assert_eq!(upload.preview.content_type, "image/jpeg");
    }

    #[test]
    fn text_named_like_an_image_is_refused_as_unsupported() {
        assert_eq!(
            attachment(b"not really a png", 10_000_000).unwrap_err(),
            ImageProblem::UnsupportedType
        );
        let mut truncated = jpeg(64, 64);
        truncated.truncate(40);
        assert!(matches!(
            attachment(&truncated, 10_000_000),
            Err(ImageProblem::Corrupt(_))
        ));
    }

    #[test]
    fn too_many_pixels_are_refused_before_decoding() {
        let err = attachment(&jpeg(200, 100), 10_000).unwrap_err();
        assert!(matches!(
            err,
            ImageProblem::TooManyPixels {
                width: 200,
                height: 100,
                ..
            }
        ));
    }

    #[test]
    fn an_avatar_is_a_centred_square_in_two_sizes() {
        let avatar = avatar(&jpeg(900, 300), 10_000_000).unwrap();
        assert_eq!((avatar.full.width, avatar.full.height), (400, 400));
        assert_eq!((avatar.small.width, avatar.small.height), (120, 120));
    }
}
