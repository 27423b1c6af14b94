//! The cost, energy and carbon of one meaningful response, term by term,
//! and the same tokens at a hosted API's prices where the catalogue has one.

use super::super::inputs::{Choice, Deployment};
use super::super::report::{Costs, Energy, HostedApi};
use crate::catalogue;
use crate::response::{self, PerResponse, PerToken, ResponseShape};
use crate::units::JOULES_PER_KWH;

/// Per response, and the hosted API's price for the same response. The
/// energy is the facility's at the expected utilisation, like the cost:
/// idle time's draw is shared by the responses served.
#[inline]
pub(super) fn step(
    d: &Deployment,
    costs: &Costs,
    energy: &Energy,
) -> (PerResponse, Option<HostedApi>) {
    let p = &d.pricing;
    let (shape, usd) = (response_shape(d), usd_per_token(d, costs));
    // Pre/post-processing energy is not modelled.
    let j = energy.at_utilisation.facility;
    let joules = PerToken {
        generated: j.j_per_output_token,
        input: j.j_per_input_token,
        pre_post: 0.0,
    };
    let mut per_response =
        response::per_response(&shape, &usd, &joules, Some(p.grid_g_co2_per_kwh));
    // WUE counts litres per kWh of IT energy: the facility's less its PUE.
    per_response.water_l_per_response = p
        .wue_l_per_kwh
        .map(|wue| per_response.joules_per_response / p.pue / JOULES_PER_KWH * wue);
    (per_response, hosted_api(d, &shape, usd.pre_post))
}

/// The tokens of one meaningful response.
pub(super) fn response_shape(d: &Deployment) -> ResponseShape {
    let u = &d.use_case;
    ResponseShape {
        output_tokens: u.output_tokens,
        reasoning_tokens: u.reasoning_tokens,
        input_tokens: u.input_tokens,
        attempts: u.attempts_per_response,
        pre_post_tokens: u.pre_post_tokens,
    }
}

/// Dollars per token of each kind, at the expected utilisation.
pub(super) fn usd_per_token(d: &Deployment, costs: &Costs) -> PerToken {
    PerToken {
        generated: costs.at_utilisation.usd_per_m_output / 1e6,
        input: costs.at_utilisation.usd_per_m_input / 1e6,
        pre_post: d.use_case.usd_per_m_pre_post_tokens / 1e6,
    }
}

/// The model's first hosted-API price in the catalogue, for the same tokens.
pub(super) fn hosted_api(
    d: &Deployment,
    shape: &ResponseShape,
    pre_post_usd: f64,
) -> Option<HostedApi> {
    let Choice::Catalogue(id) = &d.model.choice else {
        return None;
    };
    let a = catalogue::API_PRICES.iter().find(|a| a.model_id == id)?;
    let api = PerToken {
        generated: a.usd_per_m_output / 1e6,
        input: a.usd_per_m_input / 1e6,
        pre_post: pre_post_usd,
    };
    Some(HostedApi {
        provider: a.provider,
        usd_per_m_input: a.usd_per_m_input,
        usd_per_m_output: a.usd_per_m_output,
        cost_per_response_usd: response::terms(shape, &api).total(),
    })
}
