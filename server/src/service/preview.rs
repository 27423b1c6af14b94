//! Link previews of saved scenarios as PNG, drawn once per revision: an
//! unfurler asks for a link's picture a few times at most, and an edit
//! makes a new revision, so nothing stale is served.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::charts::{png, preview};
use crate::db::StoredScenario;

/// Previews kept, newest last.
const KEPT: usize = 64;

/// A scenario's id and revision.
type Key = (String, i64);

/// Drawn previews by (id, revision).
static DRAWN: Mutex<VecDeque<(Key, Arc<Vec<u8>>)>> = Mutex::new(VecDeque::new());

/// The preview of `scenario` at its revision, as PNG bytes.
///
/// # Errors
/// When its deployment cannot be evaluated or drawn.
pub fn png(scenario: &StoredScenario) -> Result<Arc<Vec<u8>>, String> {
    let key = (scenario.id.clone(), scenario.revision);
    let drawn = || {
        DRAWN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some((_, bytes)) = drawn().iter().find(|(k, _)| *k == key) {
        return Ok(bytes.clone());
    }
    let deployment = scenario.inputs.deployment();
    let evaluated = deployment.evaluated().map_err(|e| e.to_string())?;
    let svg = preview::preview_svg(&scenario.name, &evaluated).map_err(|e| e.to_string())?;
    let bytes = Arc::new(png::to_png(&svg, 1.0)?);
    let mut drawn = drawn();
    // Older revisions of this scenario are never asked for again.
    drawn.retain(|((id, _), _)| *id != key.0);
    if drawn.len() >= KEPT {
        drawn.pop_front();
    }
    drawn.push_back((key, bytes.clone()));
    Ok(bytes)
}
