//! Reading JSON text into a typed value, naming where it went wrong.
//!
//! With the `field-paths` feature (the server's build) an error names the
//! JSON path of the offending field. The browser leaves the feature off:
//! tracking paths doubles every deserialiser in the bundle, and the page
//! asks the server to name the field when its own reading fails.

use serde::de::DeserializeOwned;

/// Why a text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// JSON path of the offending field; empty at the top level or when
    /// paths are not tracked.
    pub path: String,
    /// What the parser found wrong, with line and column.
    pub message: String,
}

/// Reads `text` as one `T` and nothing after it.
///
/// # Errors
/// The first field missing, unknown or of the wrong type, or trailing text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = read(&mut de)?;
    de.end().map_err(|e| JsonError {
        path: String::new(),
        message: e.to_string(),
    })?;
    Ok(value)
}

#[cfg(feature = "field-paths")]
fn read<T: DeserializeOwned>(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
) -> Result<T, JsonError> {
    serde_path_to_error::deserialize(de).map_err(|e| {
        // The root is written "." and an unknown position "?".
        let path = e.path().to_string();
        JsonError {
            path: if path == "." || path == "?" {
                String::new()
            } else {
                path
            },
            message: e.inner().to_string(),
        }
    })
}

/// Without paths (the browser), the text is read as a JSON value first and
/// the type from that: every reader in the bundle then shares one parser,
/// and each type's reader only walks a parsed value (far less code).
#[cfg(not(feature = "field-paths"))]
fn read<T: DeserializeOwned>(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
) -> Result<T, JsonError> {
    let error = |e: serde_json::Error| JsonError {
        path: String::new(),
        message: e.to_string(),
    };
    let value = <serde_json::Value as serde::Deserialize>::deserialize(de).map_err(error)?;
    T::deserialize(value).map_err(error)
}
