//! A chart of a deployment, evaluated once, as SVG or PNG: for the chart
//! routes and the share pages alike.

use app::chart_query::DeploymentChart;
use tokenfab_core::deployment::Evaluated;

use crate::charts::{ChartError, deployment_svg, png};

/// Pixels per CSS pixel of a PNG chart: sharp on high-density screens.
const PNG_SCALE: f32 = 2.0;

/// Image formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Scalable, restyled for dark mode by its own CSS.
    Svg,
    /// At twice the size, for documents and chats.
    Png,
}

impl Format {
    /// The format a file extension names.
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            _ => None,
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Svg => "image/svg+xml; charset=utf-8",
            Format::Png => "image/png",
        }
    }
}

/// Why a chart could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The figures cannot be drawn (a log axis with no positive value, say).
    #[error("{0}")]
    Unplottable(String),
    /// Anything else: a drawing or encoding failure.
    #[error("{0}")]
    Failed(String),
}

/// The `kind` chart of `evaluated` in `format`.
///
/// # Errors
/// Figures that cannot be drawn, or a drawing or encoding failure.
pub fn image(
    kind: DeploymentChart,
    format: Format,
    evaluated: &Evaluated<'_>,
) -> Result<Vec<u8>, ImageError> {
    let svg = deployment_svg(kind, evaluated).map_err(|e| match e {
        ChartError::Unplottable(message) => ImageError::Unplottable(message),
        ChartError::Deployment(e) => ImageError::Unplottable(e.to_string()),
        other => ImageError::Failed(other.to_string()),
    })?;
    match format {
        Format::Svg => Ok(svg.into_bytes()),
        Format::Png => png::to_png(&svg, PNG_SCALE).map_err(ImageError::Failed),
    }
}
