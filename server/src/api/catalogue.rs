//! The built-in catalogues, each entry with its source and date: models,
//! accelerators, prices and use-case presets.

use axum::Json;
use axum::http::Method;
use schemars::JsonSchema;
use serde::Serialize;
use tokenfab_core::catalogue::{
    self, AcceleratorEntry, ApiPrice, CloudPrice, ElectricityPrice, EmbodiedCarbon, GridCarbon,
    HardwarePrice, ModelEntry, PueFigure, UseCasePreset,
};

use super::Api;
use super::operation::Operation;

/// Adds the catalogue routes to `api`.
pub fn routes(api: Api) -> Api {
    api.add(
        Operation::new(Method::GET, "/api/v1/catalogue/models", "catalogueModels", "Catalogue", "Models")
            .describe("Architecture of each model (parameters, layers, heads, attention, experts) with its source and date. A deployment names one by `model.catalogue`.")
            .json::<Models>(200, "Every model."),
        models,
    )
    .add(
        Operation::new(Method::GET, "/api/v1/catalogue/accelerators", "catalogueAccelerators", "Catalogue", "Accelerators")
            .describe("Datasheet figures (memory, bandwidth, tensor throughput by precision, power, interconnect) with source and date. A deployment names one by `hardware.catalogue`.")
            .json::<Accelerators>(200, "Every accelerator."),
        accelerators,
    )
    .add(
        Operation::new(Method::GET, "/api/v1/catalogue/prices", "cataloguePrices", "Catalogue", "Prices")
            .describe("Cloud rental per accelerator-hour, hardware purchase, electricity tariffs, data-centre PUE, grid carbon intensity, embodied carbon of accelerators and hosted-API token prices, each with source and date.")
            .json::<Prices>(200, "Every price."),
        prices,
    )
    .add(
        Operation::new(Method::GET, "/api/v1/catalogue/use-cases", "catalogueUseCases", "Catalogue", "Use-case presets")
            .describe("Typical request shapes, demand and latency targets, with what each assumes. A deployment names one by `use_case.preset`.")
            .json::<UseCases>(200, "Every preset."),
        use_cases,
    )
}

/// The model catalogue.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Models {
    /// Each model.
    pub models: Vec<ModelEntry>,
}

/// The accelerator catalogue.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Accelerators {
    /// Each accelerator.
    pub accelerators: Vec<AcceleratorEntry>,
}

/// The price catalogues.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Prices {
    /// Cloud rental, per accelerator-hour.
    pub cloud: Vec<CloudPrice>,
    /// Hardware purchase, per accelerator.
    pub hardware: Vec<HardwarePrice>,
    /// Electricity, per kWh.
    pub electricity: Vec<ElectricityPrice>,
    /// Power usage effectiveness of data centres.
    pub pue: Vec<PueFigure>,
    /// Grid carbon intensity.
    pub grid_carbon: Vec<GridCarbon>,
    /// What making an accelerator emitted.
    pub embodied_carbon: Vec<EmbodiedCarbon>,
    /// Hosted APIs' token prices.
    pub hosted_api: Vec<ApiPrice>,
}

/// The use-case presets.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UseCases {
    /// Each preset.
    pub use_cases: Vec<UseCasePreset>,
}

async fn models() -> Json<Models> {
    Json(Models {
        models: catalogue::MODELS.to_vec(),
    })
}

async fn accelerators() -> Json<Accelerators> {
    Json(Accelerators {
        accelerators: catalogue::ACCELERATORS.to_vec(),
    })
}

async fn prices() -> Json<Prices> {
    Json(Prices {
        cloud: catalogue::CLOUD_PRICES.to_vec(),
        hardware: catalogue::HARDWARE_PRICES.to_vec(),
        electricity: catalogue::ELECTRICITY_PRICES.to_vec(),
        pue: catalogue::PUE_FIGURES.to_vec(),
        grid_carbon: catalogue::GRID_CARBON.to_vec(),
        embodied_carbon: catalogue::EMBODIED_CARBON.to_vec(),
        hosted_api: catalogue::API_PRICES.to_vec(),
    })
}

async fn use_cases() -> Json<UseCases> {
    Json(UseCases {
        use_cases: catalogue::USE_CASES.to_vec(),
    })
}
