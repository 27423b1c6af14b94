//! The measurement table: one published metric of one configuration per
//! row, the model and accelerator named by catalogue id, the parallelism,
//! batching and precisions in columns of their own. Every cell is read as
//! text, so a bad cell skips its row with a reason naming the column
//! instead of refusing the whole table; a line that is not CSV of the
//! header's width refuses the table, naming the line.

use std::path::Path;

use serde::Deserialize;

/// The columns, in the order the built-in table writes them.
pub const COLUMNS: &[&str] = &[
    "id",
    "source",
    "date",
    "model",
    "accelerator",
    "accelerators",
    "tensor_parallel",
    "pipeline_parallel",
    "expert_parallel",
    "replicas",
    "stack",
    "stack_version",
    "batching",
    "concurrency",
    "request_rate",
    "input_tokens",
    "output_tokens",
    "weights",
    "kv_cache",
    "metric",
    "value",
    "notes",
];

/// Columns a table may leave out: their cells are then empty.
const OPTIONAL: &[&str] = &[
    "date",
    "pipeline_parallel",
    "expert_parallel",
    "replicas",
    "stack_version",
    "concurrency",
    "request_rate",
    "notes",
];

/// One row, as written.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Row {
    /// Row id: the source family, a dash, a number (`mlenergy-v3-0025`).
    pub id: String,
    /// The document the figure was read from.
    pub source: String,
    /// When that document was published.
    #[serde(default)]
    pub date: String,
    /// Catalogue model id, or the Hugging Face repository that was served.
    pub model: String,
    /// Catalogue accelerator id.
    pub accelerator: String,
    /// Accelerators in the measured system.
    pub accelerators: String,
    /// Tensor-parallel degree.
    pub tensor_parallel: String,
    /// Pipeline-parallel degree (empty: 1).
    #[serde(default)]
    pub pipeline_parallel: String,
    /// Expert-parallel degree (empty: 1).
    #[serde(default)]
    pub expert_parallel: String,
    /// Data-parallel copies of the model (empty: as many as fit).
    #[serde(default)]
    pub replicas: String,
    /// Serving stack: `vllm`, `sglang` or `tensorrt-llm`.
    pub stack: String,
    /// Its version as published.
    #[serde(default)]
    pub stack_version: String,
    /// `static`, `continuous`, `max-throughput` or `request-rate`.
    pub batching: String,
    /// Batch size (static) or sequences in flight (continuous).
    #[serde(default)]
    pub concurrency: String,
    /// Requests per second (request-rate).
    #[serde(default)]
    pub request_rate: String,
    /// Prompt tokens per request (empty: not published).
    pub input_tokens: String,
    /// Generated tokens per request.
    pub output_tokens: String,
    /// Weight precision.
    pub weights: String,
    /// KV-cache precision.
    pub kv_cache: String,
    /// What was measured.
    pub metric: String,
    /// The measurement.
    pub value: String,
    /// How the value was read and what was assumed.
    #[serde(default)]
    pub notes: String,
}

impl Row {
    /// The source family: the id without its number.
    pub fn family(&self) -> &str {
        self.id.rsplit_once('-').map_or(&self.id, |(head, _)| head)
    }
}

/// The table the product ships: its own validation set, every row with its
/// source (see `server/data/README.md`).
pub const BUILT_IN: &str = include_str!("../../data/measurements.csv");

/// Reads the table at `path`.
///
/// # Errors
/// When the file cannot be read, lacks a required column, or a line is not
/// CSV (naming the line).
pub fn read(path: &Path) -> Result<Vec<Row>, String> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(MAX_TABLE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(cannot)?;
    if text.len() as u64 > MAX_TABLE_BYTES {
        return Err(format!(
            "{}: larger than {} MiB; split the table",
            path.display(),
            MAX_TABLE_BYTES >> 20
        ));
    }
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The largest table read: a million rows is far beyond any published set,
/// and a device that never ends (`/dev/zero`) stops here.
const MAX_TABLE_BYTES: u64 = 256 << 20;

/// Reads a table from its text.
///
/// # Errors
/// As [`read`].
pub fn parse(text: &str) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .clone();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| !OPTIONAL.contains(c) && !header.iter().any(|h| h.trim() == **c))
        .copied()
        .collect();
    if !missing.is_empty() {
        let older = header.iter().any(|h| h == "n_accel");
        return Err(format!(
            "line 1: missing column(s) {}{}; the columns are {}",
            missing.join(", "),
            if older {
                " (this is the older layout with published names; name the model and accelerator by catalogue id and give the parallelism in columns)"
            } else {
                ""
            },
            COLUMNS.join(", ")
        ));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.deserialize::<Row>().enumerate() {
        // Line 1 is the header.
        rows.push(record.map_err(|e| format!("line {}: {e}", i + 2))?);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_reads_and_names_a_source_for_every_row() {
        let rows = parse(BUILT_IN).expect("the built-in table reads");
        assert!(rows.len() > 500, "{} rows", rows.len());
        for row in &rows {
            assert!(!row.source.trim().is_empty(), "{} has no source", row.id);
            assert!(!row.date.trim().is_empty(), "{} has no date", row.id);
        }
    }

    #[test]
    fn spaces_around_column_names_are_ignored() {
        let header = COLUMNS.join(" , ");
        let rows = parse(&format!(
            "{header}\n{}\n",
            vec!["x"; COLUMNS.len()].join(",")
        ))
        .expect("reads");
        assert_eq!(rows[0].model, "x");
    }

    #[test]
    fn families_are_the_id_without_its_number() {
        let row = |id: &str| Row {
            id: id.to_owned(),
            ..Row::default()
        };
        assert_eq!(row("trtllm-v090-0081").family(), "trtllm-v090");
        assert_eq!(row("mlenergy-v3-0025").family(), "mlenergy-v3");
    }

    #[test]
    fn a_table_in_the_older_layout_is_refused_with_the_columns_it_needs() {
        let text = "id,source,model,precision,accelerator,n_accel,framework,scenario,input_tokens,output_tokens,metric,value,notes\n";
        let error = parse(text).expect_err("refused");
        assert!(error.contains("tensor_parallel"), "{error}");
        assert!(error.contains("catalogue id"), "{error}");
    }
}
