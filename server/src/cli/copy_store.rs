//! `tokenfab copy-store`: one store's scenarios and searches into another,
//! and an account of what was copied.

use crate::db::{Copied, Db, PoolSettings, without_password};

/// Copies `from` into `to`; the account to print.
///
/// # Errors
/// When either store cannot be opened, or a copy fails part way (what was
/// copied stays; running again finishes it).
pub fn run(from: &str, to: &str) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        // A copy may be long; only its statements are bounded.
        let settings = PoolSettings {
            statement_timeout: std::time::Duration::from_secs(60),
            ..PoolSettings::default()
        };
        let source = Db::connect_read_only(from, settings)
            .await
            .map_err(|e| format!("--from {}: {e}", without_password(from)))?;
        let target = Db::connect(to, settings)
            .await
            .map_err(|e| format!("--to {}: {e}", without_password(to)))?;
        let copied = source.copy_into(&target).await.map_err(|e| {
            format!(
                "copy stopped (what was copied stays; run it again to finish): {e}{}",
                if e.to_string().contains("no such table")
                    || e.to_string().contains("does not exist")
                {
                    "; is --from a tokenfab store?"
                } else {
                    ""
                }
            )
        })?;
        Ok(account(
            &copied,
            &without_password(from),
            &without_password(to),
        ))
    })
}

/// What a copy did, for people.
fn account(copied: &Copied, from: &str, to: &str) -> String {
    let mut text = format!(
        "copied {} scenarios and {} saved searches from {from} to {to}\n",
        copied.scenarios, copied.searches
    );
    text.push_str(&format!(
        "  {} scenarios brought up to the source's later revision\n",
        copied.scenarios_updated
    ));
    text.push_str(&format!(
        "  {} scenarios and {} searches were there already, unchanged\n",
        copied.scenarios_present, copied.searches_present
    ));
    list(
        &mut text,
        &copied.only_in_target,
        "are in the target but not the source (deleted from it since an earlier copy, or saved in the target), left",
    );
    list(
        &mut text,
        &copied.repaired,
        "held the NUL character, which PostgreSQL's text cannot hold: copied with U+FFFD in its place",
    );
    if copied.scenarios_differing.is_empty() {
        text.push_str("  0 scenarios differ\n");
    } else {
        text.push_str(&format!(
            "  {} scenarios differ, kept as the target has them (same or later revision there, or changed there since):\n",
            copied.scenarios_differing.len()
        ));
        for id in &copied.scenarios_differing {
            text.push_str(&format!("    {id}\n"));
        }
    }
    text
}

/// Ids listed after what they share, up to twenty, then how many more.
fn list(text: &mut String, ids: &[String], what: &str) {
    if ids.is_empty() {
        return;
    }
    text.push_str(&format!("  {} {what}:\n", ids.len()));
    for id in ids.iter().take(20) {
        text.push_str(&format!("    {id}\n"));
    }
    if ids.len() > 20 {
        text.push_str(&format!("    and {} more\n", ids.len() - 20));
    }
}
