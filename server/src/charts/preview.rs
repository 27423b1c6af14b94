//! The picture a chat shows when a share link is pasted: 1200 × 630 pixels
//! (the size Open Graph and Twitter cards ask for) with the scenario's name,
//! its headline figures and its cost-per-response chart.

use app::chart_query::DeploymentChart;
use app::format;
use tokenfab_core::deployment::Evaluated;

use super::{CHART_SIZE, ChartError, deployment_svg, theme};
use crate::html::escape;

/// The picture's size in pixels.
pub const SIZE: (u32, u32) = (1200, 630);

/// Longest name shown, in characters; a longer one ends in an ellipsis.
const NAME_CHARS: usize = 34;

/// The chart beside the figures.
const CHART: DeploymentChart = DeploymentChart::ResponseCost;

/// The preview of the scenario `name` evaluated, as SVG text (light theme:
/// a chat shows one look).
///
/// # Errors
/// When the chart cannot be drawn.
pub fn preview_svg(name: &str, evaluated: &Evaluated<'_>) -> Result<String, ChartError> {
    let r = &evaluated.report;
    let currency = evaluated.checked.deployment().pricing.currency.as_ref();
    let figures = [
        (
            "per meaningful response",
            format::money(r.per_response.cost_per_response_usd, 3, currency),
        ),
        (
            "per million output tokens",
            format::money(r.costs.at_utilisation.usd_per_m_output, 3, currency),
        ),
        (
            "tokens per joule",
            format::significant(r.energy.tokens_per_joule, 3),
        ),
        ("GPUs in the fleet", r.fleet.gpus.to_string()),
    ];
    let (width, height) = SIZE;
    let text = theme::TEXT;
    let muted = format!("#{:02X}{:02X}{:02X}", text.0, text.1, text.2);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">\
         <rect width=\"{width}\" height=\"{height}\" fill=\"#FFFFFF\"/>\
         <text x=\"56\" y=\"76\" font-size=\"26\" font-weight=\"bold\" fill=\"{muted}\">tokenfab</text>\
         <text x=\"56\" y=\"146\" font-size=\"46\" font-weight=\"bold\" fill=\"{muted}\">{}</text>",
        escape(&shortened(name))
    );
    for (row, (label, value)) in figures.iter().enumerate() {
        let y = 236 + row * 100;
        svg.push_str(&format!(
            "<text x=\"56\" y=\"{y}\" font-size=\"44\" font-weight=\"bold\" fill=\"{muted}\">{}</text>\
             <text x=\"56\" y=\"{}\" font-size=\"22\" fill=\"#555555\">{}</text>",
            escape(value),
            y + 32,
            escape(label)
        ));
    }
    svg.push_str(&nested(&deployment_svg(CHART, evaluated)?, 500, 190, 660));
    svg.push_str("</svg>");
    Ok(svg)
}

/// `name` as the preview shows it: "Untitled scenario" when blank, cut to
/// [`NAME_CHARS`] characters.
fn shortened(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return "Untitled scenario".to_owned();
    }
    if name.chars().count() <= NAME_CHARS {
        return name.to_owned();
    }
    let cut: String = name.chars().take(NAME_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A chart's SVG placed at (`x`, `y`), `width` wide: its root element
/// becomes a nested `svg` of that place and size, drawn from its own
/// coordinates.
fn nested(chart: &str, x: u32, y: u32, width: u32) -> String {
    let (chart_width, chart_height) = CHART_SIZE;
    let height = width * chart_height / chart_width;
    let body = chart
        .find("<svg")
        .and_then(|start| chart[start..].find('>').map(|end| start + end + 1))
        .and_then(|open| chart.rfind("</svg>").map(|close| &chart[open..close]))
        .unwrap_or_default();
    format!(
        "<svg x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {chart_width} {chart_height}\">{body}</svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_is_cut_with_an_ellipsis_and_a_blank_one_named() {
        assert_eq!(shortened("  "), "Untitled scenario");
        assert_eq!(shortened("Support bot"), "Support bot");
        let long = "a".repeat(60);
        let cut = shortened(&long);
        assert_eq!(cut.chars().count(), NAME_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn the_chart_keeps_its_drawing_inside_a_placed_svg() {
        let placed = nested(
            "<svg width=\"640\" height=\"360\"><style>x</style><rect/></svg>\n",
            500,
            190,
            660,
        );
        assert_eq!(
            placed,
            "<svg x=\"500\" y=\"190\" width=\"660\" height=\"371\" viewBox=\"0 0 640 360\"><style>x</style><rect/></svg>"
        );
    }
}
