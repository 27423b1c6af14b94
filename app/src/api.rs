//! The JSON exchanged with the REST API, shared by the server that answers
//! it and the browser that calls it.

use serde::{Deserialize, Serialize};
use tokenfab_core::deployment::{Deployment, PowerScope};
use tokenfab_core::observed::bench::BenchSummary;
use tokenfab_core::observed::calibrate::{Calibration, PowerStatistic};
use tokenfab_core::observed::power_log::{PowerSummary, Window};

/// Where scenarios are saved.
pub const SCENARIOS_PATH: &str = "/api/v1/scenarios";

/// Body of `POST /api/v1/scenarios`. The page sends a deployment (`S` =
/// [`Deployment`]); the server reads the inputs as raw JSON first, then by
/// their schema version, so that its errors name the path inside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SaveScenario<S = Deployment> {
    /// A name for people; may be empty.
    #[serde(default)]
    pub name: String,
    /// Notes for people; may be empty.
    #[serde(default)]
    pub notes: String,
    /// The inputs to store: a modeled deployment, or a measured-level
    /// scenario (told apart by the deployment's `model`).
    #[cfg_attr(feature = "schema", schemars(with = "Inputs"))]
    pub scenario: S,
}

/// What a saved scenario's inputs may be, for the API's schema.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[allow(dead_code)] // only its schema is used
#[serde(untagged)]
enum Inputs {
    /// A modeled deployment (schema version 2).
    Deployment(Box<Deployment>),
    /// Measured throughput and power with prices (schema version 1).
    Measured(Box<tokenfab_core::migrate::v1::MeasuredScenario>),
}

/// Answer to a successful save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SavedScenario {
    /// The stored scenario's id: 128 random bits, hex encoded.
    pub id: String,
    /// What allows changing or deleting it (send as `Authorization: Bearer
    /// <token>`): shown once, only its hash is kept.
    pub edit_token: String,
}

/// Body of `PUT /api/v1/scenarios/{id}`: the fields to change (`S` as for
/// [`SaveScenario`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateScenario<S = Deployment> {
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// New notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// New inputs, as for saving.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Inputs>"))]
    pub scenario: Option<S>,
}

impl<S> Default for UpdateScenario<S> {
    fn default() -> Self {
        UpdateScenario {
            name: None,
            notes: None,
            scenario: None,
        }
    }
}

/// `GET /api/v1/scenarios/{id}`: a saved scenario with its report, the
/// export format.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExportedScenario {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its notes.
    pub notes: String,
    /// The schema version it was saved in (its inputs are shown migrated).
    pub schema_version: i64,
    /// Unix seconds when saved.
    pub created_at: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
    /// 1 when saved, one more with each change; also its ETag, which an
    /// update or delete may send as If-Match to refuse overwriting a
    /// change it has not seen.
    pub revision: i64,
    /// The inputs, as a deployment.
    pub scenario: Deployment,
    /// The report, when the inputs evaluate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<tokenfab_core::deployment::DeploymentReport>,
    /// Why there is no report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_error: Option<String>,
}

/// Every error the API returns, as problem details (RFC 9457, served as
/// `application/problem+json`): a kind, a summary, the status, what went
/// wrong for people, and the JSON path of each field at fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    /// A URI reference naming the kind of problem; the API docs describe each.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request, naming the field.
    pub detail: String,
    /// JSON path (or parameter or header name) of the first field at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field at fault, when there are several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldProblem {
    /// Its JSON path, e.g. `pricing.pue`.
    pub field: String,
    /// What is wrong with it.
    pub detail: String,
}

/// Saves a deployment from the browser under `name`.
///
/// # Errors
/// The server's message when it refuses the scenario, or a note that the
/// network failed.
pub async fn save_deployment(
    name: String,
    notes: String,
    deployment: Deployment,
) -> Result<SavedScenario, String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let body = SaveScenario {
            name,
            notes,
            scenario: deployment,
        };
        let request = Request::post(SCENARIOS_PATH)
            .json(&body)
            .map_err(|e| e.to_string())?;
        let response = request
            .send()
            .await
            .map_err(|_| "Could not reach the server; nothing was saved.".to_owned())?;
        if response.ok() {
            response.json().await.map_err(|e| e.to_string())
        } else {
            Err(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (name, notes, deployment);
        Err("Saving runs in the browser.".to_owned())
    }
}

/// Renames saved scenario `id` with its edit token.
///
/// # Errors
/// The server's message (a wrong token, say), or a note that the network failed.
pub async fn rename_scenario(id: String, edit_token: String, name: String) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let body: UpdateScenario = UpdateScenario {
            name: Some(name),
            ..UpdateScenario::default()
        };
        let response = Request::put(&format!("{SCENARIOS_PATH}/{id}"))
            .header("Authorization", &format!("Bearer {edit_token}"))
            .json(&body)
            .map_err(|e| e.to_string())?
            .send()
            .await
            .map_err(|_| "Could not reach the server; nothing changed.".to_owned())?;
        if response.ok() {
            Ok(())
        } else {
            Err(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, edit_token, name);
        Err("Renaming runs in the browser.".to_owned())
    }
}

/// Deletes saved scenario `id` with its edit token.
///
/// # Errors
/// The server's message (a wrong token, say), or a note that the network failed.
pub async fn delete_scenario(id: String, edit_token: String) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let response = Request::delete(&format!("{SCENARIOS_PATH}/{id}"))
            .header("Authorization", &format!("Bearer {edit_token}"))
            .send()
            .await
            .map_err(|_| "Could not reach the server; nothing was deleted.".to_owned())?;
        // Already gone is as good as deleted.
        if response.ok() || response.status() == 404 {
            Ok(())
        } else {
            Err(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, edit_token);
        Err("Deleting runs in the browser.".to_owned())
    }
}

/// Path of the evaluation endpoint.
pub const EVALUATE_PATH: &str = "/api/v1/evaluate";

/// The server's reading of a deployment the browser could not read. The
/// browser's reader does not track JSON paths (it would double the bundle's
/// deserialisers); the server's names the field at fault.
///
/// None when the server accepts it or cannot be reached.
pub async fn server_objection(deployment_json: String) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_net::http::Request;
        let response = Request::post(EVALUATE_PATH)
            .header("Content-Type", "application/json")
            .body(deployment_json)
            .ok()?
            .send()
            .await
            .ok()?;
        if response.ok() {
            None
        } else {
            Some(refusal(&response).await)
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = deployment_json;
        None
    }
}

/// Body of `POST /api/v1/calibrate`, and what the calibration page asks
/// for (`S` = [`Deployment`]); the API reads it as written
/// ([`Document`](tokenfab_core::deployment::Document)), whose use case may
/// name a preset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalibrateRequest<S = Deployment> {
    /// The deployment that ran.
    pub scenario: S,
    /// The benchmark's result file, as text.
    pub bench: String,
    /// The power log, as text.
    #[serde(default)]
    pub power_log: Option<String>,
    /// The part of the run to use from the power log.
    #[serde(default)]
    pub window: Window,
    /// What the power log measured (default: the GPUs).
    #[serde(default)]
    pub scope: Option<PowerScope>,
    /// Which statistic of the log to fit (default: P90).
    #[serde(default)]
    pub statistic: PowerStatistic,
}

/// Answer to a calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalibrateResponse {
    /// The fit.
    pub calibration: Calibration,
    /// What the benchmark file says.
    pub bench: BenchSummary,
    /// What the power log says, if one was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<PowerSummary>,
    /// The power trace as SVG, with the window and its P90 marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_chart_svg: Option<String>,
    /// The fit as the planner shows it, HTML: what was measured, the
    /// factors, measured against modeled before and after, and the notes.
    #[serde(default)]
    pub outcome_html: String,
}

/// What the page reads of the server's ranges (a
/// [`RangesReport`](tokenfab_core::uncertainty::RangesReport)): each
/// figure's P10 and P90 and the odds of the decisions, read from the
/// answer's JSON by hand (a derived reader for it cost the page 2 KB).
#[derive(Debug, Clone, PartialEq)]
pub struct RangesView {
    /// Draws evaluated.
    pub evaluated: u32,
    /// Each figure's band.
    pub figures: Vec<Band>,
    /// The odds of the decisions.
    pub probabilities: Odds,
}

/// One figure's P10 and P90.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The figure, as the report names it.
    pub figure: String,
    /// 10th percentile.
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// The odds of the statements people decide on, 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Odds {
    /// The latency targets hold.
    pub latency_targets_hold: f64,
    /// Owning is cheaper than renting by month 24.
    pub owning_cheaper_by_month_24: f64,
    /// The fleet fits the power budget, when one is given.
    pub within_power_budget: Option<f64>,
}

impl RangesView {
    /// Reads the server's answer.
    pub fn read(v: &serde_json::Value) -> Option<Self> {
        let number = |v: &serde_json::Value, key: &str| v.get(key)?.as_f64();
        let p = v.get("probabilities")?;
        Some(RangesView {
            evaluated: number(v, "evaluated")? as u32,
            figures: v
                .get("figures")?
                .as_array()?
                .iter()
                .map(|f| {
                    Some(Band {
                        figure: f.get("figure")?.as_str()?.to_owned(),
                        p10: number(f, "p10")?,
                        p90: number(f, "p90")?,
                    })
                })
                .collect::<Option<_>>()?,
            probabilities: Odds {
                latency_targets_hold: number(p, "latency_targets_hold")?,
                owning_cheaper_by_month_24: number(p, "owning_cheaper_by_month_24")?,
                within_power_budget: number(p, "within_power_budget"),
            },
        })
    }
}

impl From<&tokenfab_core::uncertainty::RangesReport> for RangesView {
    fn from(r: &tokenfab_core::uncertainty::RangesReport) -> Self {
        let p = &r.probabilities;
        RangesView {
            evaluated: r.evaluated,
            figures: r
                .figures
                .iter()
                .map(|f| Band {
                    figure: f.figure.clone(),
                    p10: f.p10,
                    p90: f.p90,
                })
                .collect(),
            probabilities: Odds {
                latency_targets_hold: p.latency_targets_hold,
                owning_cheaper_by_month_24: p.owning_cheaper_by_month_24,
                within_power_budget: p.within_power_budget,
            },
        }
    }
}

/// Where the figures' ranges are drawn.
pub const RANGES_PATH: &str = "/api/v1/ranges";

/// The ranges of `deployment`'s figures, drawn by the server (thousands of
/// evaluations, kept out of the page's own code).
///
/// # Errors
/// The server's message naming the field at fault, or a note that the
/// network failed.
pub async fn ranges(deployment: Deployment) -> Result<RangesView, String> {
    #[cfg(feature = "hydrate")]
    {
        let json = serde_json::to_string(&deployment).map_err(|e| e.to_string())?;
        let text = post_json(RANGES_PATH, json).await?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        RangesView::read(&value).ok_or_else(|| "The server's ranges did not read.".to_owned())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = deployment;
        Err("Ranges are drawn for the browser.".to_owned())
    }
}

/// Posts `json` to `path`: the answer's text, or the server's reason for
/// refusing it. (Written JSON in, so one copy serves every body type.)
#[cfg(feature = "hydrate")]
async fn post_json(path: &str, json: String) -> Result<String, String> {
    let response = gloo_net::http::Request::post(path)
        .header("content-type", "application/json")
        .body(json)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|_| "Could not reach the server.".to_owned())?;
    if response.ok() {
        response.text().await.map_err(|e| e.to_string())
    } else {
        Err(refusal(&response).await)
    }
}

/// The server's reason for refusing, from its JSON error.
#[cfg(feature = "hydrate")]
async fn refusal(response: &gloo_net::http::Response) -> String {
    match response.json::<Problem>().await {
        Ok(problem) => problem.detail,
        Err(_) => format!("The server answered {}.", response.status()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_reads_the_bands_and_odds_of_the_server_s_answer() {
        let mut d = Deployment::example();
        d.ranges = Some(tokenfab_core::uncertainty::Ranges {
            power_budget_kw: Some(20.0),
            samples: Some(200),
            ..Default::default()
        });
        let report = tokenfab_core::uncertainty::evaluate_ranges(&d).unwrap();
        let answer = serde_json::to_value(&report).unwrap();
        let read = RangesView::read(&answer).unwrap();
        assert_eq!(read, RangesView::from(&report));
        assert_eq!(read.figures.len(), report.figures.len());
        assert!(read.probabilities.within_power_budget.is_some());
        // Without a budget the odds of fitting it are absent, not zero.
        let mut answer = answer;
        answer["probabilities"]
            .as_object_mut()
            .unwrap()
            .remove("within_power_budget");
        assert_eq!(
            RangesView::read(&answer)
                .unwrap()
                .probabilities
                .within_power_budget,
            None
        );
        assert!(RangesView::read(&serde_json::json!({ "figures": [] })).is_none());
    }
}
