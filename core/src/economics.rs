//! Money: what an accelerator-hour costs rented or owned, how that cost
//! splits between input and output tokens, and when buying beats renting.

use serde::{Deserialize, Serialize};

use crate::units::SECONDS_PER_HOUR;

/// Hours in a year (365 days).
pub const HOURS_PER_YEAR: f64 = 8_760.0;
/// Hours in an average month.
pub const HOURS_PER_MONTH: f64 = HOURS_PER_YEAR / 12.0;

/// Owning the hardware: what it costs to buy, finance, keep and house.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OnPremCosts {
    /// Purchase price of one server node with its accelerators, dollars.
    pub capex_usd_per_node: f64,
    /// Accelerators in one node.
    pub gpus_per_node: u32,
    /// Years over which the purchase is written off.
    pub depreciation_years: f64,
    /// Annual cost of capital (interest or forgone return), e.g. 0.08.
    pub cost_of_capital: f64,
    /// Maintenance and support per year, as a share of the purchase price.
    pub maintenance_share_per_year: f64,
    /// Colocation or hosting, dollars per kW of provisioned IT power per month.
    pub hosting_usd_per_kw_month: f64,
    /// Operations staff cost attributed to this fleet, dollars per year.
    pub staff_usd_per_year: f64,
}

/// The hourly cost of an owned fleet, by component, dollars per hour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OwnedHourlyCost {
    /// Purchase price spread over its life with the cost of capital.
    pub capital_usd_per_hour: f64,
    /// Maintenance and support.
    pub maintenance_usd_per_hour: f64,
    /// Hosting of the provisioned power.
    pub hosting_usd_per_hour: f64,
    /// Staff.
    pub staff_usd_per_hour: f64,
    /// Electricity at the facility meter (IT power × PUE).
    pub energy_usd_per_hour: f64,
}

impl OwnedHourlyCost {
    /// Everything but capital: what owning costs once the purchase is paid.
    pub fn running_usd_per_hour(&self) -> f64 {
        self.total_usd_per_hour() - self.capital_usd_per_hour
    }

    /// The same fleet drawing `average_it_kw` instead: only electricity
    /// changes (the rest does not depend on the draw), so the capital
    /// charge need not be worked out again.
    pub fn drawing(self, average_it_kw: f64, pue: f64, usd_per_kwh: f64) -> Self {
        OwnedHourlyCost {
            energy_usd_per_hour: average_it_kw * pue * usd_per_kwh,
            ..self
        }
    }

    /// All components.
    pub fn total_usd_per_hour(&self) -> f64 {
        self.capital_usd_per_hour
            + self.maintenance_usd_per_hour
            + self.hosting_usd_per_hour
            + self.staff_usd_per_hour
            + self.energy_usd_per_hour
    }
}

/// Share of a loan repaid each year so that `years` equal payments at
/// `rate` repay it: r(1+r)ⁿ / ((1+r)ⁿ − 1), or 1/n without interest.
pub fn capital_recovery_factor(rate: f64, years: f64) -> f64 {
    if rate.abs() < 1e-12 {
        1.0 / years
    } else {
        let growth = (1.0 + rate).powf(years);
        rate * growth / (growth - 1.0)
    }
}

/// Hourly cost of owning `nodes` nodes that draw `average_it_kw` on average
/// and are provisioned for `provisioned_it_kw`, at `pue` and `usd_per_kwh`.
pub fn owned_hourly_cost(
    costs: &OnPremCosts,
    nodes: f64,
    average_it_kw: f64,
    provisioned_it_kw: f64,
    pue: f64,
    usd_per_kwh: f64,
) -> OwnedHourlyCost {
    let capex = costs.capex_usd_per_node * nodes;
    OwnedHourlyCost {
        capital_usd_per_hour: capex
            * capital_recovery_factor(costs.cost_of_capital, costs.depreciation_years)
            / HOURS_PER_YEAR,
        maintenance_usd_per_hour: capex * costs.maintenance_share_per_year / HOURS_PER_YEAR,
        hosting_usd_per_hour: costs.hosting_usd_per_kw_month * provisioned_it_kw / HOURS_PER_MONTH,
        staff_usd_per_hour: costs.staff_usd_per_year / HOURS_PER_YEAR,
        energy_usd_per_hour: average_it_kw * pue * usd_per_kwh,
    }
}

/// Dollars per input token and per output token, from the share of
/// accelerator time each phase uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhaseCost {
    /// Dollars per million prompt tokens.
    pub usd_per_m_input: f64,
    /// Dollars per million generated tokens.
    pub usd_per_m_output: f64,
}

/// Splits `usd_per_hour` between phases: `prefill_share` of the time buys
/// `input_tokens_per_s`, the rest buys `output_tokens_per_s`.
pub fn phase_cost(
    usd_per_hour: f64,
    prefill_share: f64,
    input_tokens_per_s: f64,
    output_tokens_per_s: f64,
) -> PhaseCost {
    let usd_per_s = usd_per_hour / SECONDS_PER_HOUR;
    let share = prefill_share.clamp(0.0, 1.0);
    PhaseCost {
        usd_per_m_input: if input_tokens_per_s > 0.0 {
            usd_per_s * share / input_tokens_per_s * 1e6
        } else {
            0.0
        },
        usd_per_m_output: usd_per_s * (1.0 - share) / output_tokens_per_s * 1e6,
    }
}

/// Cumulative cost after each month, renting versus owning.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonthCost {
    /// Months since the start.
    pub month: u32,
    /// Rent paid so far, dollars.
    pub cloud_usd: f64,
    /// Purchase plus running costs so far, dollars.
    pub on_prem_usd: f64,
}

/// Month-by-month cumulative cost for `months` months: the purchase is paid
/// at the start, running costs (everything but capital) monthly.
pub fn cumulative_costs(
    cloud_usd_per_hour: f64,
    purchase_usd: f64,
    owned: &OwnedHourlyCost,
    months: u32,
) -> Vec<MonthCost> {
    let running = owned.running_usd_per_hour();
    (0..=months)
        .map(|m| {
            let hours = f64::from(m) * HOURS_PER_MONTH;
            MonthCost {
                month: m,
                cloud_usd: cloud_usd_per_hour * hours,
                on_prem_usd: purchase_usd + running * hours,
            }
        })
        .collect()
}

/// What owning saves a month against renting, once bought: rent less the
/// running costs; `None` when it saves nothing.
fn monthly_saving(cloud_usd_per_hour: f64, owned: &OwnedHourlyCost) -> Option<f64> {
    let saving = (cloud_usd_per_hour - owned.running_usd_per_hour()) * HOURS_PER_MONTH;
    (saving > 0.0).then_some(saving)
}

/// First month at which owning has cost no more than renting, if within `horizon_months`.
pub fn break_even_month(
    cloud_usd_per_hour: f64,
    purchase_usd: f64,
    owned: &OwnedHourlyCost,
    horizon_months: u32,
) -> Option<f64> {
    let month = purchase_usd / monthly_saving(cloud_usd_per_hour, owned)?;
    (month <= f64::from(horizon_months)).then_some(month)
}

/// Monthly rate equivalent to `annual_rate` compounded: (1 + r)^(1/12) − 1.
pub fn monthly_rate(annual_rate: f64) -> f64 {
    (1.0 + annual_rate).powf(1.0 / 12.0) - 1.0
}

/// Month at which the monthly savings of owning over renting, discounted at
/// the cost of capital, have repaid the purchase, if within `horizon_months`.
///
/// The hourly owned rate already charges the cost of capital; this is the
/// break-even on the same footing. With a monthly rate i and saving S a month,
/// the present value of m months of savings is S(1 − (1+i)^−m)/i, so
/// m = −ln(1 − P·i/S) / ln(1+i); it never comes if P·i ≥ S.
pub fn discounted_break_even_month(
    cloud_usd_per_hour: f64,
    purchase_usd: f64,
    owned: &OwnedHourlyCost,
    annual_rate: f64,
    horizon_months: u32,
) -> Option<f64> {
    let i = monthly_rate(annual_rate);
    if i.abs() < 1e-12 {
        return break_even_month(cloud_usd_per_hour, purchase_usd, owned, horizon_months);
    }
    let owed = purchase_usd * i / monthly_saving(cloud_usd_per_hour, owned)?;
    if owed >= 1.0 {
        return None;
    }
    let month = -(-owed).ln_1p() / i.ln_1p();
    (month <= f64::from(horizon_months)).then_some(month)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn costs() -> OnPremCosts {
        OnPremCosts {
            capex_usd_per_node: 300_000.0,
            gpus_per_node: 8,
            depreciation_years: 4.0,
            cost_of_capital: 0.0,
            maintenance_share_per_year: 0.1,
            hosting_usd_per_kw_month: 150.0,
            staff_usd_per_year: 0.0,
        }
    }

    #[test]
    fn without_interest_capital_is_straight_line() {
        assert_relative_eq!(capital_recovery_factor(0.0, 4.0), 0.25);
        let c = owned_hourly_cost(&costs(), 1.0, 0.0, 10.0, 1.3, 0.1);
        assert_relative_eq!(c.capital_usd_per_hour, 300_000.0 / 4.0 / HOURS_PER_YEAR);
    }

    #[test]
    fn interest_raises_the_annual_capital_charge() {
        // 8 % over 4 years: 0.3019 of the loan each year.
        assert_relative_eq!(
            capital_recovery_factor(0.08, 4.0),
            0.301921,
            max_relative = 1e-5
        );
    }

    #[test]
    fn energy_is_charged_at_the_facility_meter() {
        let c = owned_hourly_cost(&costs(), 1.0, 8.0, 10.0, 1.5, 0.1);
        assert_relative_eq!(c.energy_usd_per_hour, 8.0 * 1.5 * 0.1);
    }

    #[test]
    fn doubling_the_price_doubles_the_cost_per_token() {
        let a = phase_cost(10.0, 0.2, 5_000.0, 1_000.0);
        let b = phase_cost(20.0, 0.2, 5_000.0, 1_000.0);
        assert_relative_eq!(b.usd_per_m_input, 2.0 * a.usd_per_m_input);
        assert_relative_eq!(b.usd_per_m_output, 2.0 * a.usd_per_m_output);
    }

    #[test]
    fn phase_costs_add_back_to_the_hourly_cost() {
        let (usd_h, share, inp, out) = (36.0, 0.25, 9_000.0, 3_000.0);
        let p = phase_cost(usd_h, share, inp, out);
        let per_hour = (p.usd_per_m_input * inp + p.usd_per_m_output * out) / 1e6 * 3_600.0;
        assert_relative_eq!(per_hour, usd_h, max_relative = 1e-12);
    }

    #[test]
    fn owning_breaks_even_when_savings_repay_the_purchase() {
        // Running costs: maintenance 30,000/8,760 = 3.4247, hosting
        // 150 × 10/730 = 2.0548, energy 6 × 1.3 × 0.1 = 0.78: 6.2595 an hour.
        // Renting 8 GPUs at $4: 32 an hour. Saving (32 − 6.2595) × 730 =
        // 18,790.6 a month repays 300,000 after 15.965 months.
        let owned = owned_hourly_cost(&costs(), 1.0, 6.0, 10.0, 1.3, 0.1);
        let month = break_even_month(32.0, 300_000.0, &owned, 120).unwrap();
        assert_relative_eq!(month, 15.965, max_relative = 1e-4);
        let curve = cumulative_costs(32.0, 300_000.0, &owned, 16);
        assert!(curve[15].on_prem_usd > curve[15].cloud_usd);
        assert!(curve[16].on_prem_usd < curve[16].cloud_usd);
    }

    #[test]
    fn a_break_even_beyond_the_horizon_is_not_reported() {
        let owned = owned_hourly_cost(&costs(), 1.0, 6.0, 10.0, 1.3, 0.1);
        assert_eq!(break_even_month(32.0, 300_000.0, &owned, 15), None);
        assert_eq!(
            discounted_break_even_month(32.0, 300_000.0, &owned, 0.08, 16),
            None
        );
    }

    #[test]
    fn discounting_delays_the_break_even() {
        // Monthly rate 1.08^(1/12) − 1 = 0.643403 %; P·i/S = 300,000 ×
        // 0.00643403 / 18,790.6 = 0.102722; −ln(0.897278) / ln(1.00643403)
        // = 0.108389 / 0.00641342 = 16.900 months, against 15.965 in cash.
        let owned = owned_hourly_cost(&costs(), 1.0, 6.0, 10.0, 1.3, 0.1);
        let month = discounted_break_even_month(32.0, 300_000.0, &owned, 0.08, 120).unwrap();
        assert_relative_eq!(month, 16.900, max_relative = 2e-4);
    }

    #[test]
    fn savings_below_the_interest_never_repay_the_purchase() {
        // Saving 1,500 a month is less than the 1,930 of interest a month on
        // 300,000 at 8 % a year: the debt only grows.
        let owned = owned_hourly_cost(&costs(), 1.0, 6.0, 10.0, 1.3, 0.1);
        let running = owned.total_usd_per_hour() - owned.capital_usd_per_hour;
        let rent = running + 1_500.0 / HOURS_PER_MONTH;
        assert!(break_even_month(rent, 300_000.0, &owned, 1_000).is_some());
        assert_eq!(
            discounted_break_even_month(rent, 300_000.0, &owned, 0.08, 1_000),
            None
        );
    }

    #[test]
    fn without_interest_discounting_changes_nothing() {
        let owned = owned_hourly_cost(&costs(), 1.0, 6.0, 10.0, 1.3, 0.1);
        assert_eq!(
            discounted_break_even_month(32.0, 300_000.0, &owned, 0.0, 120),
            break_even_month(32.0, 300_000.0, &owned, 120)
        );
    }

    #[test]
    fn owning_never_breaks_even_when_running_costs_exceed_rent() {
        let owned = owned_hourly_cost(&costs(), 1.0, 6.0, 10.0, 1.3, 0.1);
        assert_eq!(break_even_month(1.0, 300_000.0, &owned, 120), None);
    }
}
