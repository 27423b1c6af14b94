//! Light and dark in one SVG. plotters writes fixed colours, so charts draw
//! with the light palette below, each role its own colour, and a `<style>`
//! block keyed on those colours repaints them when the viewer prefers dark:
//! author CSS outranks SVG presentation attributes, and an SVG shown through
//! `<img>` cannot see the page's stylesheet but does see the colour scheme.

use std::fmt::Write as _;

use plotters::style::RGBColor;

/// One colour role: as drawn (light), and its dark counterpart.
struct Swatch {
    name: &'static str,
    light: RGBColor,
    dark: RGBColor,
}

/// Panel behind the chart (the page's `--panel`).
pub const BACKGROUND: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
/// Titles, tick labels, axis names and legend text.
pub const TEXT: RGBColor = RGBColor(0x1C, 0x1D, 0x1F);
/// Axis lines and reference lines such as a target.
pub const AXIS: RGBColor = RGBColor(0x5B, 0x60, 0x68);
/// Grid lines and the legend's border.
pub const GRID: RGBColor = RGBColor(0xE4, 0xE5, 0xE8);
/// Series colours, told apart in both themes (blue, orange, teal).
pub const SERIES: [RGBColor; 3] = [
    RGBColor(0x25, 0x63, 0xEB),
    RGBColor(0xC2, 0x41, 0x0C),
    RGBColor(0x0F, 0x76, 0x6E),
];
/// The scenario's own operating point, break-even or utilisation.
pub const MARK: RGBColor = RGBColor(0xBE, 0x18, 0x5D);

const SWATCHES: [Swatch; 9] = [
    swatch("bg", BACKGROUND, RGBColor(0x1C, 0x1E, 0x21)),
    swatch("text", TEXT, RGBColor(0xEC, 0xEC, 0xEC)),
    swatch("axis", AXIS, RGBColor(0xA3, 0xA8, 0xB0)),
    swatch("grid", GRID, RGBColor(0x34, 0x37, 0x3C)),
    swatch("s0", SERIES[0], RGBColor(0x6B, 0x9B, 0xFF)),
    swatch("s1", SERIES[1], RGBColor(0xFB, 0x92, 0x3C)),
    swatch("s2", SERIES[2], RGBColor(0x2D, 0xD4, 0xBF)),
    swatch("mark", MARK, RGBColor(0xF4, 0x72, 0xB6)),
    // plotters' own default, should a style be left unset somewhere.
    swatch("ink", RGBColor(0, 0, 0), RGBColor(0xEC, 0xEC, 0xEC)),
];

const fn swatch(name: &'static str, light: RGBColor, dark: RGBColor) -> Swatch {
    Swatch { name, light, dark }
}

/// A colour as plotters writes it.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Every colour a themed chart may draw with.
pub fn palette() -> impl Iterator<Item = String> {
    SWATCHES.iter().map(|s| hex(s.light))
}

fn style_block() -> String {
    let mut css = String::from("<style>\nsvg{");
    for s in &SWATCHES {
        let _ = write!(css, "--tf-{}:{};", s.name, hex(s.light));
    }
    css.push_str("}\n@media (prefers-color-scheme: dark){svg{");
    for s in &SWATCHES {
        let _ = write!(css, "--tf-{}:{};", s.name, hex(s.dark));
    }
    css.push_str("}}\n");
    for s in &SWATCHES {
        let (name, light) = (s.name, hex(s.light));
        let _ = writeln!(
            css,
            "[fill=\"{light}\"]{{fill:var(--tf-{name})}}[stroke=\"{light}\"]{{stroke:var(--tf-{name})}}"
        );
    }
    css.push_str("</style>\n");
    css
}

/// `svg` with the theme's style block as the first child of its root.
pub fn apply(svg: &str) -> String {
    let css = style_block();
    let at = svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|end| start + end + 1))
        .unwrap_or(0);
    let (head, tail) = svg.split_at(at);
    let mut out = String::with_capacity(svg.len() + css.len() + 1);
    out.push_str(head);
    out.push('\n');
    out.push_str(&css);
    out.push_str(tail.trim_start_matches('\n'));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_block_follows_the_root_element_and_repaints_in_the_dark() {
        let svg = apply("<svg width=\"1\" height=\"1\">\n<rect fill=\"#FFFFFF\"/>\n</svg>\n");
        assert!(svg.starts_with("<svg width=\"1\" height=\"1\">\n<style>"));
        assert!(svg.contains("@media (prefers-color-scheme: dark)"));
        assert!(svg.contains("[fill=\"#FFFFFF\"]{fill:var(--tf-bg)}"));
        assert!(svg.ends_with("<rect fill=\"#FFFFFF\"/>\n</svg>\n"));
    }

    #[test]
    fn every_role_has_its_own_light_colour() {
        let colours: Vec<String> = palette().collect();
        let mut unique = colours.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), colours.len());
    }
}
