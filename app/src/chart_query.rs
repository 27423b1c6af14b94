//! The server-rendered charts as the page and the server both name them:
//! their kinds, and their URLs with the deployment in the query.

use tokenfab_core::deployment::Deployment;

/// The trade-off charts of a modelled deployment: the page asks for them
/// by kind, the server draws them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentChart {
    /// Throughput per GPU against speed per user, with $/M tokens.
    Concurrency,
    /// Tokens per joule against concurrency.
    Energy,
    /// Cost per meaningful response, term by term.
    ResponseCost,
    /// Carbon per meaningful response, operational and embodied.
    Carbon,
    /// Cumulative cost, cloud and on-prem, with the break-even.
    Months,
    /// $/M tokens against utilisation.
    Utilisation,
    /// Tornado of the cost per response.
    Sensitivity,
}

impl DeploymentChart {
    /// Every chart, in the order a page shows them.
    pub const ALL: [DeploymentChart; 7] = [
        DeploymentChart::Concurrency,
        DeploymentChart::Energy,
        DeploymentChart::ResponseCost,
        DeploymentChart::Carbon,
        DeploymentChart::Months,
        DeploymentChart::Utilisation,
        DeploymentChart::Sensitivity,
    ];

    /// The name in the chart's URL.
    pub fn slug(self) -> &'static str {
        match self {
            DeploymentChart::Concurrency => "concurrency",
            DeploymentChart::Energy => "energy",
            DeploymentChart::ResponseCost => "response-cost",
            DeploymentChart::Carbon => "carbon",
            DeploymentChart::Months => "months",
            DeploymentChart::Utilisation => "utilisation",
            DeploymentChart::Sensitivity => "sensitivity",
        }
    }

    /// The chart named `slug`, if any.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// What it shows, for the image's text alternative.
    pub fn description(self) -> &'static str {
        match self {
            DeploymentChart::Concurrency => {
                "Throughput per GPU against tokens per second per user as concurrency grows, with the cost per million output tokens"
            }
            DeploymentChart::Energy => "Tokens per joule against concurrency",
            DeploymentChart::ResponseCost => {
                "Cost per meaningful response split into generated, input and pre/post-processing terms"
            }
            DeploymentChart::Carbon => {
                "Carbon per meaningful response and per month: operational, location- and market-based, and embodied"
            }
            DeploymentChart::Months => {
                "Cumulative cost over months, cloud rental against owned hardware, with the break-even month"
            }
            DeploymentChart::Utilisation => {
                "Cost per million tokens against utilisation, owned against rented"
            }
            DeploymentChart::Sensitivity => {
                "How the cost per response moves when each input moves by 20 percent"
            }
        }
    }
}

/// URL of the `kind` chart of `deployment`: the whole deployment travels in
/// the query as URL-safe base64 JSON, so the image is cacheable by URL.
pub fn deployment_chart_url(kind: DeploymentChart, deployment: &Deployment) -> String {
    format!(
        "/api/v1/charts/{}.svg?scenario={}",
        kind.slug(),
        encode_deployment(deployment)
    )
}

/// `deployment` as URL-safe base64 JSON, for a query parameter.
pub fn encode_deployment(deployment: &Deployment) -> String {
    base64_url(&serde_json::to_vec(deployment).unwrap_or_default())
}

/// The query naming what a comparison shows: saved scenarios by id and,
/// when given, the planner's current (unsaved) deployment inline.
pub fn compare_query(ids: &[String], current: Option<&Deployment>) -> String {
    let mut query = format!("ids={}", ids.join(","));
    if let Some(d) = current {
        query.push_str("&current=");
        query.push_str(&encode_deployment(d));
    }
    query
}

/// Stable URL of the `kind` chart of the saved scenario `id`, for embedding
/// in documents and chats.
pub fn shared_chart_url(id: &str, kind: DeploymentChart) -> String {
    format!("/s/{id}/{}.svg", kind.slug())
}

/// URL-safe base64 without padding (RFC 4648 section 5).
fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        // One input byte gives two characters, two give three, three give four.
        for s in &sextets[..chunk.len() + 1] {
            out.push(char::from(ALPHABET[*s as usize]));
        }
    }
    out
}

#[cfg(test)]
mod kind_tests {
    use super::DeploymentChart;

    #[test]
    fn slugs_round_trip() {
        for chart in DeploymentChart::ALL {
            assert_eq!(DeploymentChart::from_slug(chart.slug()), Some(chart));
        }
        assert_eq!(DeploymentChart::from_slug("pie"), None);
    }
}

#[cfg(test)]
mod base64_tests {
    use super::base64_url;

    #[test]
    fn encodes_the_rfc_4648_test_vectors_without_padding() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_url(plain.as_bytes()), encoded);
        }
        // The two characters that differ from standard base64.
        assert_eq!(base64_url(&[0xfb, 0xff]), "-_8");
    }
}
