//! PNG images of the charts: the same SVG, rasterised with the system's
//! fonts, for documents and chats that do not show SVG.

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};

/// Sans-serif families tried in turn for the charts' `sans-serif` text.
const SANS_SERIF: [&str; 4] = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans"];

/// The system's fonts, read once.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_system_fonts();
    let installed: Vec<String> = fonts
        .faces()
        .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
        .collect();
    if let Some(family) = SANS_SERIF
        .iter()
        .find(|f| installed.iter().any(|i| i == *f))
    {
        fonts.set_sans_serif_family(*family);
    }
    Arc::new(fonts)
});

/// How many font faces the rasteriser found; with none, PNG charts have no
/// text (the health check reports it).
pub fn font_faces() -> usize {
    FONTS.len()
}

/// `svg` without its theme's style block: a PNG has one look, the light
/// one its presentation attributes draw (the rasteriser does not resolve
/// the block's CSS variables).
fn light(svg: &str) -> String {
    match (svg.find("<style>"), svg.find("</style>")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{}", &svg[..start], &svg[end + "</style>".len()..])
        }
        _ => svg.to_owned(),
    }
}

/// Rasterises `svg` at `scale` times its size (2 for sharp text on
/// high-density screens), in the light theme.
///
/// # Errors
/// When the SVG does not parse or the image cannot be encoded.
pub fn to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let svg = &light(svg);
    let options = usvg::Options {
        fontdb: FONTS.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("the chart has no size")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the chart has no size")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokenfab_core::deployment::Deployment;

    #[test]
    fn a_chart_rasterises_at_twice_its_size() {
        let svg = crate::charts::months_svg(&Deployment::example().evaluated().unwrap()).unwrap();
        let png = to_png(&svg, 2.0).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // Width and height sit big-endian in the IHDR chunk.
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        let (w, h) = crate::charts::CHART_SIZE;
        assert_eq!((width, height), (2 * w, 2 * h));
    }

    #[test]
    fn the_png_draws_the_light_theme_not_a_blank() {
        let svg = crate::charts::months_svg(&Deployment::example().evaluated().unwrap()).unwrap();
        let png = to_png(&svg, 1.0).unwrap();
        let decoded = tiny_skia::Pixmap::decode_png(&png).unwrap();
        let pixels = decoded.pixels();
        // The panel is white, and lines and text are drawn on it.
        let white = pixels
            .iter()
            .filter(|p| p.red() == 255 && p.green() == 255 && p.blue() == 255 && p.alpha() == 255)
            .count();
        assert!(
            white > pixels.len() / 2,
            "{white} of {} white",
            pixels.len()
        );
        assert!(white < pixels.len() * 99 / 100, "nothing drawn");
    }
}
