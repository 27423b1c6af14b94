//! Scenarios as JSON text: which schema a text is in, the deployment it
//! describes, and its figures.

use serde::Serialize;
use tokenfab_core::deployment::{Deployment, DeploymentError, DeploymentReport};
use tokenfab_core::headline::Headline;
use tokenfab_core::migrate;

/// A deployment's figures: the headline and the whole report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Evaluation {
    /// The headline figures.
    pub headline: Headline,
    /// Everything.
    pub report: DeploymentReport,
}

/// The deployment scenario JSON of either schema version describes: a
/// deployment, or a measured-level scenario (version 1) migrated to one.
///
/// # Errors
/// The first problem, naming the field by its JSON path.
pub fn read(text: &str) -> Result<Deployment, DeploymentError> {
    let deployment = migrate::read_any(text)?;
    deployment.validate()?;
    Ok(deployment)
}

/// The headline figures and the report of `deployment`.
///
/// # Errors
/// As [`Deployment::evaluate`].
pub fn evaluate(deployment: &Deployment) -> Result<Evaluation, DeploymentError> {
    let report = deployment.evaluate()?;
    Ok(Evaluation {
        headline: Headline::from(&report),
        report,
    })
}
