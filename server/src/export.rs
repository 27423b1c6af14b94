//! A scenario (saved, or the planner's unsaved state) and its report as
//! CSV: one row per figure, named by its JSON path, for spreadsheets, money
//! also in the scenario's currency. Text a person typed (the name, the
//! notes) is neutralised so a spreadsheet cannot take it for a formula.

use app::api::ExportedScenario;
use serde_json::Value;
use tokenfab_core::currency::Currency;
use tokenfab_core::deployment::{Deployment, DeploymentReport, fields};
use tokenfab_core::uncertainty::evaluate_ranges;

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` safe for a spreadsheet cell: a leading formula character gets a
/// quote in front, which spreadsheets show as text.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Adds a row per leaf of `value`, its path under `prefix`.
pub fn flatten(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                flatten(&format!("{prefix}.{key}"), v, rows);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{i}"), v, rows);
            }
        }
        Value::Null => rows.push((prefix.to_owned(), String::new())),
        // Catalogue ids and enum names are ours, but neutralise all text alike.
        Value::String(s) => rows.push((prefix.to_owned(), neutralise(s))),
        other => rows.push((prefix.to_owned(), other.to_string())),
    }
}

/// The CSV text of `exported`: a header, then `field,value,unit,input`
/// rows; the inputs' units and names come from the field registry.
///
/// # Errors
/// When serialising fails (it does not for these types).
pub fn to_csv(exported: &ExportedScenario) -> Result<String, String> {
    let about = vec![
        ("id".to_owned(), exported.id.clone()),
        ("name".to_owned(), neutralise(&exported.name)),
        ("notes".to_owned(), neutralise(&exported.notes)),
        (
            "schema_version".to_owned(),
            exported.schema_version.to_string(),
        ),
        ("created_at".to_owned(), exported.created_at.to_string()),
        ("updated_at".to_owned(), exported.updated_at.to_string()),
    ];
    scenario_csv(
        about,
        &exported.scenario,
        exported.report.as_ref(),
        exported.report_error.as_deref(),
    )
}

/// The CSV text of a planner state that was never saved (see [`Draft`]).
///
/// # Errors
/// When serialising fails (it does not for these types).
pub fn draft_csv(draft: &Draft) -> Result<String, String> {
    let about = vec![
        ("name".to_owned(), neutralise(&draft.name)),
        ("notes".to_owned(), neutralise(&draft.notes)),
        (
            "schema_version".to_owned(),
            draft.schema_version.to_string(),
        ),
        ("exported_at".to_owned(), draft.exported_at.to_string()),
    ];
    scenario_csv(about, &draft.scenario, Some(&draft.report), None)
}

/// What the planner shows, exported without saving: the same shape as a
/// saved scenario's export less what only saving gives (id, revision), so
/// the planner's import and the save API read it back alike. Only inputs
/// that evaluate are exported (the planner shows no figures for others).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Draft {
    /// Its name, as typed; may be empty.
    pub name: String,
    /// Its notes, as typed; may be empty.
    pub notes: String,
    /// The schema version of `scenario`.
    pub schema_version: u32,
    /// Unix seconds when exported.
    pub exported_at: i64,
    /// The inputs.
    pub scenario: Deployment,
    /// Their figures.
    pub report: DeploymentReport,
}

/// Rows `about` the scenario, then its inputs, report (or why there is
/// none) and drawn ranges, as `field,value,unit,input` CSV.
fn scenario_csv(
    mut rows: Vec<(String, String)>,
    scenario: &Deployment,
    report: Option<&DeploymentReport>,
    report_error: Option<&str>,
) -> Result<String, String> {
    let inputs = serde_json::to_value(scenario).map_err(|e| e.to_string())?;
    flatten("scenario", &inputs, &mut rows);
    match report {
        Some(report) => {
            let report = serde_json::to_value(report).map_err(|e| e.to_string())?;
            flatten("report", &report, &mut rows);
        }
        None => rows.push((
            "report_error".to_owned(),
            neutralise(report_error.unwrap_or_default()),
        )),
    }
    // A scenario with ranges exports them drawn: seed, draws, each figure's
    // percentiles, the odds and the sources.
    if scenario.ranges.is_some() {
        match evaluate_ranges(scenario) {
            Ok(ranges) => {
                let ranges = serde_json::to_value(&ranges).map_err(|e| e.to_string())?;
                flatten("ranges", &ranges, &mut rows);
            }
            Err(e) => rows.push(("ranges_error".to_owned(), neutralise(&e.to_string()))),
        }
    }
    // With a currency set, each money figure also in it, in a last column.
    let currency = scenario.pricing.currency.as_ref();
    let money = MoneyRows::of(&rows);
    let converted_header = currency.map(|c| format!("value in {}", c.code));
    let mut header = vec!["field", "value", "unit", "input"];
    header.extend(converted_header.as_deref());
    table(
        &header,
        rows.into_iter().map(|(field, value)| {
            // An input of the registry says its unit and what it is.
            let input = field
                .strip_prefix("scenario.")
                .and_then(fields::by_path)
                .map(|f| f.words);
            let (unit, name) = input.map_or(("", ""), |w| (w.unit, w.name));
            let converted =
                currency.map(|c| money.converted(&field, &value, c).unwrap_or_default());
            let mut row = vec![field, value, unit.to_owned(), name.to_owned()];
            row.extend(converted);
            row
        }),
    )
}

/// Which rows of a flattened scenario hold money, given in US dollars: a
/// field named in dollars, or under one (`usd_per_m_output`,
/// `cost_usd.generated`); the figures, input ranges and sources of the
/// ranges whose figure or input is named so. `tokens_per_usd` is money's
/// inverse. The currency's own rate is not money.
struct MoneyRows {
    /// Prefixes (`ranges.figures.3.`) of the groups in dollars, and
    /// whether each is per dollar.
    groups: Vec<(String, bool)>,
}

/// The groups of the ranges that can be in dollars, and the child that
/// names their figure or input.
const RANGE_GROUPS: [(&str, &str); 3] = [
    ("ranges.figures.", "figure"),
    ("ranges.sources.", "input"),
    ("scenario.ranges.inputs.", "input"),
];

/// The numbers of such a group that are amounts (not shares or counts).
const RANGE_AMOUNTS: [&str; 7] = ["point", "expected", "p10", "p50", "p90", "low", "high"];

impl MoneyRows {
    fn of(rows: &[(String, String)]) -> Self {
        let groups = rows
            .iter()
            .filter_map(|(field, value)| {
                let (start, child) = RANGE_GROUPS
                    .iter()
                    .find(|(start, child)| field.starts_with(start) && field.ends_with(child))?;
                let prefix = field.strip_suffix(child)?;
                // One index between the start and the child: `ranges.figures.3.`.
                let index = prefix.strip_prefix(start)?.strip_suffix('.')?;
                (index.parse::<usize>().is_ok() && is_dollars(value))
                    .then(|| (prefix.to_owned(), value.contains("per_usd")))
            })
            .collect();
        MoneyRows { groups }
    }

    /// `value` of `field` in `currency`, when it is money, written as the
    /// value column writes numbers.
    fn converted(&self, field: &str, value: &str, currency: &Currency) -> Option<String> {
        let amount: f64 = value.parse().ok()?;
        let per_usd = match self
            .groups
            .iter()
            .find(|(p, _)| field.starts_with(p.as_str()))
        {
            Some((prefix, per_usd)) => RANGE_AMOUNTS
                .contains(&&field[prefix.len()..])
                .then_some(*per_usd)?,
            None if field.starts_with("scenario.pricing.currency.")
                || field.starts_with("ranges.")
                || field.starts_with("scenario.ranges.") =>
            {
                return None;
            }
            None => {
                let named = field.split('.').filter(|s| s.contains("usd"));
                let mut per_usd = None;
                for segment in named {
                    per_usd = Some(per_usd.unwrap_or(false) || segment.contains("per_usd"));
                }
                per_usd?
            }
        };
        let shown = if per_usd {
            amount / currency.per_usd
        } else {
            currency.from_usd(amount)
        };
        serde_json::Number::from_f64(shown).map(|n| n.to_string())
    }
}

/// Whether an input path or figure name is in US dollars (the currency's
/// rate aside).
fn is_dollars(name: &str) -> bool {
    name.contains("usd") && !name.contains("currency")
}

/// A comparison as CSV: one row per field (inputs, then the report's
/// figures), one column per scenario headed by its name, with the input's
/// unit; a field only some scenarios have is blank for the others.
///
/// # Errors
/// When serialising fails (it does not for these types).
pub fn comparison_csv(items: &[app::page_data::Compared]) -> Result<String, String> {
    let mut order: Vec<String> = Vec::new();
    let mut columns: Vec<std::collections::HashMap<String, String>> = Vec::new();
    // With a currency set on the first scenario, each money row is followed
    // by the same figures in it, as the page shows them.
    let currency = items
        .first()
        .and_then(|c| c.deployment.pricing.currency.as_ref());
    for item in items {
        let mut rows = vec![
            ("id".to_owned(), item.id.clone().unwrap_or_default()),
            ("name".to_owned(), neutralise(&item.name)),
        ];
        let scenario = serde_json::to_value(&item.deployment).map_err(|e| e.to_string())?;
        flatten("scenario", &scenario, &mut rows);
        match item.deployment.evaluate() {
            Ok(report) => {
                let report = serde_json::to_value(report).map_err(|e| e.to_string())?;
                flatten("report", &report, &mut rows);
            }
            Err(e) => rows.push(("report_error".to_owned(), neutralise(&e.to_string()))),
        }
        if let Some(c) = currency {
            let money = MoneyRows::of(&rows);
            let converted: Vec<(String, String)> = rows
                .iter()
                .filter_map(|(field, value)| {
                    let shown = money.converted(field, value, c)?;
                    Some((format!("{field} in {}", c.code), shown))
                })
                .collect();
            for (field, shown) in converted {
                let at = rows
                    .iter()
                    .position(|(f, _)| {
                        field.starts_with(f.as_str()) && field[f.len()..].starts_with(" in ")
                    })
                    .map_or(rows.len(), |i| i + 1);
                rows.insert(at, (field, shown));
            }
        }
        for (field, _) in &rows {
            if !order.contains(field) {
                order.push(field.clone());
            }
        }
        columns.push(rows.into_iter().collect());
    }
    let mut header = vec!["field".to_owned(), "unit".to_owned()];
    header.extend(items.iter().map(|c| neutralise(&c.name)));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    table(
        &header,
        order.into_iter().map(|field| {
            let unit = field
                .strip_prefix("scenario.")
                .and_then(fields::by_path)
                .map_or("", |f| f.words.unit);
            let mut row = vec![field.clone(), unit.to_owned()];
            row.extend(
                columns
                    .iter()
                    .map(|c| c.get(&field).cloned().unwrap_or_default()),
            );
            row
        }),
    )
}

/// CSV text of a header and rows.
///
/// # Errors
/// When writing fails (it does not in memory).
pub fn table(
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        writer.write_record(row).map_err(|e| e.to_string())?;
    }
    String::from_utf8(writer.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_other_text_kept() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-1+1", "@SUM(A1)", "\tx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(neutralise("Support bot, Q3"), "Support bot, Q3");
    }

    #[test]
    fn an_input_row_carries_its_unit_and_name_from_the_registry() {
        let exported = ExportedScenario {
            id: "0".repeat(32),
            name: String::new(),
            notes: String::new(),
            schema_version: 2,
            created_at: 0,
            updated_at: 0,
            revision: 1,
            scenario: tokenfab_core::deployment::Deployment::example(),
            report: None,
            report_error: Some("not evaluated".to_owned()),
        };
        let csv = to_csv(&exported).unwrap();
        assert!(csv.starts_with("field,value,unit,input\n"), "{csv}");
        assert!(
            csv.contains("scenario.pricing.usd_per_gpu_hour,2.94,$/GPU-hour,GPU rental price\n"),
            "{csv}"
        );
        assert!(csv.contains("scenario.pricing.mode,cloud,,\n"), "{csv}");
    }
}
