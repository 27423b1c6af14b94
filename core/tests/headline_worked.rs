//! Every headline figure of a modelled deployment, worked by hand.
//!
//! Measured rates replace the model's predictions, so each figure follows
//! from the inputs by arithmetic a reviewer can redo:
//! - Llama 3.1 8B on replicas of 2 accelerators (datasheet 700 W, 100 W
//!   idle), 8 to a node whose host draws 1,000 W;
//! - measured per replica: 4,000 output tokens/s, prefill through 40,000
//!   prompt tokens/s, 1,200 W for its two GPUs (GPU scope);
//! - each attempt reads 1,000 prompt tokens and generates 400 + 100
//!   reasoning = 500; 1.5 attempts per response; 200 guardrail tokens at
//!   $0.10 per million;
//! - 1,728,000 attempts a day (20 a second), peaks at twice that;
//! - rented at $2 per GPU-hour; owned at $240,000 per 8-GPU node over 4
//!   years without interest, 10 % maintenance, $100 per provisioned
//!   kW-month; $0.10/kWh, PUE 1.3, 400 g CO2e/kWh.
//!
//! A replica serves 4,000 / 500 = 8 attempts/s, so the peak of 40 needs 5
//! replicas (10 GPUs, 2 nodes) and the average of 20 keeps them 50 % busy.
//! Prompt tokens arrive at 4,000 × 1,000 / 500 = 8,000/s per replica, so
//! prefill takes 8,000 / 40,000 = 20 % of its time.

use tokenfab_core::deployment::{Deployment, DeploymentReport, PowerScope, PricingMode};

fn deployment() -> Deployment {
    serde_json::from_value(serde_json::json!({
        "model": { "catalogue": "llama-3.1-8b-instruct", "weights": "bf16" },
        "hardware": {
            "spec": {
                "memory_gb": 80, "memory_bandwidth_tb_s": 3.35, "bf16_tflops": 989.4,
                "tdp_w": 700, "idle_w": 100, "interconnect_gb_s": 450
            },
            "gpus_per_replica": 2, "gpus_per_node": 8, "host_watts_per_node": 1000,
            "stack": "vllm"
        },
        "pricing": {
            "mode": "cloud", "usd_per_gpu_hour": 2.0,
            "on_prem": {
                "capex_usd_per_node": 240000, "gpus_per_node": 8, "depreciation_years": 4,
                "cost_of_capital": 0, "maintenance_share_per_year": 0.1,
                "hosting_usd_per_kw_month": 100, "staff_usd_per_year": 0
            },
            "usd_per_kwh": 0.1, "pue": 1.3, "grid_g_co2_per_kwh": 400
        },
        "use_case": {
            "input_tokens": 1000, "output_tokens": 400, "reasoning_tokens": 100,
            "attempts_per_response": 1.5, "pre_post_tokens": 200,
            "usd_per_m_pre_post_tokens": 0.1, "prefix_cache_hit_rate": 0,
            "requests_per_day": 1728000, "peak_to_average": 2,
            "ttft_target_ms": 10000, "tpot_target_ms": 1000
        },
        "measured": {
            "output_tokens_per_s": 4000, "input_tokens_per_s": 40000,
            "watts": 1200, "scope": "gpu"
        }
    }))
    .expect("the worked deployment parses")
}

fn evaluate(d: &Deployment) -> DeploymentReport {
    d.evaluate().expect("the worked deployment evaluates")
}

/// `value` agrees with `expected` to 5 significant digits.
#[track_caller]
fn assert_figure(what: &str, value: f64, expected: f64) {
    let tolerance = expected.abs() * 5e-6;
    assert!(
        (value - expected).abs() <= tolerance,
        "{what}: {value} is not {expected}"
    );
}

#[test]
fn the_peak_sizes_the_fleet_and_the_average_keeps_it_half_busy() {
    let r = evaluate(&deployment());
    assert_eq!(r.fleet.replicas, 5);
    assert_eq!(r.fleet.gpus, 10);
    assert_figure("average", r.fleet.average_requests_per_s, 20.0);
    assert_figure("peak", r.fleet.peak_requests_per_s, 40.0);
    assert_figure("capacity", r.fleet.capacity_requests_per_s, 40.0);
    assert_figure("utilisation", r.fleet.utilisation, 0.5);
}

#[test]
fn half_of_a_rented_fleet_s_month_pays_for_idle_capacity() {
    let r = evaluate(&deployment());
    // 10 GPUs × $2
    assert_figure("fleet per hour", r.costs.fleet_usd_per_hour, 20.0);
    // × 730 hours
    assert_figure("fleet per month", r.costs.fleet_usd_per_month, 14_600.0);
    // × (1 − 0.5)
    assert_figure("idle per month", r.costs.idle_usd_per_month, 7_300.0);
    // 4,000 tokens/s × 3,600 s × 0.5 busy / $4 a replica-hour
    assert_figure("tokens per dollar", r.costs.tokens_per_usd, 1_800_000.0);
}

#[test]
fn input_and_output_tokens_are_priced_by_the_time_each_phase_takes() {
    let r = evaluate(&deployment());
    // A replica costs $4/h = $1/900 a second; 20 % of it buys 8,000 prompt
    // tokens/s, 80 % buys 4,000 generated tokens/s.
    // 1/900 × 0.2 / 8,000 × 1e6 = 0.0277778
    assert_figure(
        "$/M input at load",
        r.costs.at_load.usd_per_m_input,
        0.027_777_8,
    );
    // 1/900 × 0.8 / 4,000 × 1e6 = 0.222222
    assert_figure(
        "$/M output at load",
        r.costs.at_load.usd_per_m_output,
        0.222_222,
    );
    // Half busy: twice as dear.
    assert_figure(
        "$/M input at 50 %",
        r.costs.at_utilisation.usd_per_m_input,
        0.055_555_6,
    );
    assert_figure(
        "$/M output at 50 %",
        r.costs.at_utilisation.usd_per_m_output,
        0.444_444,
    );
}

#[test]
fn a_meaningful_response_costs_its_three_terms() {
    let r = evaluate(&deployment());
    let c = r.per_response.cost_usd;
    // 500 generated × 1.5 attempts × $0.444444/M
    assert_figure("generated", c.generated, 3.333_33e-4);
    // 1,000 prompt × 1.5 × $0.0555556/M
    assert_figure("input", c.input, 8.333_33e-5);
    // 200 guardrail tokens × $0.10/M, once per response
    assert_figure("pre/post", c.pre_post, 2.0e-5);
    assert_figure(
        "cost per response",
        r.per_response.cost_per_response_usd,
        4.366_67e-4,
    );
}

#[test]
fn the_hosted_api_prices_the_same_tokens_at_its_list_price() {
    let r = evaluate(&deployment());
    let api = r
        .costs
        .hosted_api
        .expect("the catalogue prices Llama 3.1 8B");
    // The catalogue's first listed price for the model: $0.20 in, $0.60 out.
    assert_figure("API input", api.usd_per_m_input, 0.20);
    assert_figure("API output", api.usd_per_m_output, 0.60);
    // (500 × 1.5 × 0.60 + 1,000 × 1.5 × 0.20) / 1e6 + 200 × 0.10 / 1e6
    assert_figure("API per response", api.cost_per_response_usd, 7.7e-4);
}

#[test]
fn power_at_each_scope_averages_busy_and_idle_accelerators() {
    let r = evaluate(&deployment());
    // 1,200 W over 2 GPUs
    assert_figure("GPU at load", r.power.watts_per_gpu_at_load, 600.0);
    // 10 × (100 + (600 − 100) × 0.5)
    assert_figure("GPUs", r.power.gpu_watts, 3_500.0);
    // + 2 nodes × 1,000 W of host
    assert_figure("servers", r.power.server_watts, 5_500.0);
    // × PUE 1.3
    assert_figure("facility", r.power.facility_watts, 7_150.0);
}

#[test]
fn the_same_draw_measured_at_any_scope_gives_the_same_power() {
    // The replica's node: its two GPUs (1,200 W) plus the host (1,000 W)
    // = 2,200 W at the server, × 1.3 = 2,860 W at the facility.
    for (scope, watts) in [
        (PowerScope::Server, 2_200.0),
        (PowerScope::Facility, 2_860.0),
    ] {
        let mut d = deployment();
        let m = d.measured.as_mut().expect("measured");
        m.scope = scope;
        m.watts = Some(watts);
        let r = evaluate(&d);
        assert_figure("GPU at load", r.power.watts_per_gpu_at_load, 600.0);
        assert_figure("facility", r.power.facility_watts, 7_150.0);
    }
}

#[test]
fn energy_per_token_at_load_and_with_idle_draw_shared() {
    let r = evaluate(&deployment());
    // The fleet at load: 10 × 600 W + the hosts of its 2 servers, 2,000 W
    // = 8,000 W at the servers, for 5 replicas × 4,000 tokens/s.
    // 20,000 / 8,000
    assert_figure("tokens per joule", r.energy.tokens_per_joule, 2.5);
    // × 3.6e6 J/kWh
    assert_figure("tokens per kWh", r.energy.tokens_per_kwh, 9_000_000.0);
    // $0.10 × 1.3 / 9,000,000
    assert_figure(
        "electricity per token",
        r.energy.energy_usd_per_token,
        1.444_44e-8,
    );
    // 1.3 / 2.5
    assert_figure(
        "facility J per token at load",
        r.energy.facility_j_per_token_at_load,
        0.52,
    );
    // 7,150 W over 5 replicas × 4,000 tokens/s × 0.5
    assert_figure(
        "facility J per token at 50 %",
        r.energy.facility_j_per_token_at_utilisation,
        0.715,
    );
    // 0.715 × 1e6 / 3.6e6 × 400
    assert_figure(
        "g CO2e per M tokens at 50 %",
        r.energy.g_co2_per_m_tokens_at_utilisation,
        79.444_4,
    );
}

/// Prompt and generated tokens' watts at the fleet (input, output) as the
/// energy module splits them by hand: the accelerators' busy draw by each
/// phase's energy (`prompt_energy` of it the prompts'), idle accelerators
/// and hosts by each phase's time (a fifth of it prefilling).
fn split_by_hand(prompt_energy: f64, utilisation: f64) -> (f64, f64) {
    let busy = 6_000.0 * utilisation;
    let idle = 1_000.0 * (1.0 - utilisation);
    (
        busy * prompt_energy + (idle + 2_000.0) * 0.2,
        busy * (1.0 - prompt_energy) + (idle + 2_000.0) * 0.8,
    )
}

#[test]
fn energy_per_token_at_each_scope_splits_by_phase_at_load_and_at_utilisation() {
    let r = evaluate(&deployment());
    // The split of the busy energy between the phases is the power model's
    // (tested in `power.rs`); everything around it is worked here.
    let prompts = r.energy.prompt_energy_share_at_load;
    assert!(prompts > 0.0 && prompts < 1.0, "{prompts}");
    // 40,000 prompt and 20,000 generated tokens/s at load, half at 50 %.
    for (at, u, tokens) in [
        (r.energy.at_load, 1.0, (40_000.0, 20_000.0)),
        (r.energy.at_utilisation, 0.5, (20_000.0, 10_000.0)),
    ] {
        let (input_w, output_w) = split_by_hand(prompts, u);
        assert_figure(
            "server J/in",
            at.server.j_per_input_token,
            input_w / tokens.0,
        );
        assert_figure(
            "server J/out",
            at.server.j_per_output_token,
            output_w / tokens.1,
        );
        assert_figure(
            "facility J/out",
            at.facility.j_per_output_token,
            1.3 * output_w / tokens.1,
        );
        // The hosts, 2,000 W split by time, are the servers' only addition.
        assert_figure(
            "hosts per prompt token",
            at.server.j_per_input_token - at.gpu.j_per_input_token,
            2_000.0 * 0.2 / tokens.0,
        );
        assert_figure(
            "hosts per generated token",
            at.server.j_per_output_token - at.gpu.j_per_output_token,
            2_000.0 * 0.8 / tokens.1,
        );
    }
    // Every joule is some token's: the scopes' watts add up to the power.
    let u = r.energy.at_utilisation.facility;
    let watts = u.j_per_input_token * 20_000.0 + u.j_per_output_token * 10_000.0;
    assert_figure("facility watts", watts, r.power.facility_watts);
}

#[test]
fn energy_and_carbon_per_response_at_the_expected_utilisation() {
    let r = evaluate(&deployment());
    let (input_w, output_w) = split_by_hand(r.energy.prompt_energy_share_at_load, 0.5);
    // At the facility (× 1.3) over the tokens served at 50 %.
    let (j_in, j_out) = (1.3 * input_w / 20_000.0, 1.3 * output_w / 10_000.0);
    let e = r.per_response.energy_j;
    // 500 × 1.5 generated, 1,000 × 1.5 prompt tokens per response.
    assert_figure("generated", e.generated, 750.0 * j_out);
    assert_figure("input", e.input, 1_500.0 * j_in);
    assert_eq!(e.pre_post, 0.0, "guardrail energy is not modelled");
    let joules = 750.0 * j_out + 1_500.0 * j_in;
    assert_figure("J per response", r.per_response.joules_per_response, joules);
    assert_figure(
        "Wh per response",
        r.per_response.wh_per_response,
        joules / 3_600.0,
    );
    assert_figure(
        "Wh per response, the energy report's",
        r.energy.wh_per_response_at_utilisation,
        joules / 3_600.0,
    );
    // / 3.6e6 × 400
    let co2 = r.per_response.g_co2_per_response.expect("grid given");
    assert_figure("g CO2e per response", co2, joules / 3.6e6 * 400.0);
    // Idle time's draw makes a response dearer in energy than at load.
    assert!(r.energy.wh_per_response_at_load < r.energy.wh_per_response_at_utilisation);
}

#[test]
fn owning_the_fleet_is_priced_component_by_component() {
    let mut d = deployment();
    d.pricing.mode = PricingMode::OnPrem;
    let r = evaluate(&d);
    let o = r.costs.on_prem_hourly;
    // 2 nodes × $240,000 = $480,000 over 4 years without interest.
    assert_figure("capital", o.capital_usd_per_hour, 480_000.0 / 4.0 / 8_760.0);
    // 10 % of $480,000 a year
    assert_figure("maintenance", o.maintenance_usd_per_hour, 5.479_45);
    // Provisioned 10 × 700 W + 2 × 1,000 W = 9 kW × $100 / 730 h
    assert_figure("hosting", o.hosting_usd_per_hour, 1.232_88);
    assert_eq!(o.staff_usd_per_hour, 0.0);
    // 5.5 kW × 1.3 × $0.10
    assert_figure("energy", o.energy_usd_per_hour, 0.715);
    // 13.69863 + 5.47945 + 1.23288 + 0.715
    assert_figure("owned per hour", r.costs.fleet_usd_per_hour, 21.125_96);
    assert_figure("owned per GPU-hour", r.costs.usd_per_gpu_hour, 2.112_596);
    // At load the draw is 10 × 600 + 2,000 = 8 kW: energy $1.04/h, total
    // $21.45096/h, a replica $4.290192/h; 80 % of it over 4,000 tokens/s.
    assert_figure(
        "owned $/M output at load",
        r.costs.at_load.usd_per_m_output,
        0.238_344,
    );
    // At 50 %: $21.12596/5 a replica-hour, 80 % over 2,000 tokens/s served.
    assert_figure(
        "owned $/M output at 50 %",
        r.costs.at_utilisation.usd_per_m_output,
        0.469_466,
    );
    // Running costs $7.427329/h against $20/h of rent: saving $9,178.05 a
    // month repays $480,000 after 52.2987 months; without interest the
    // discounted break-even is the same.
    let cash = r.costs.break_even_month.expect("pays back");
    assert_figure("break-even", cash, 52.298_69);
    assert_eq!(r.costs.break_even_month_discounted, Some(cash));
    // Over the 4-year life: $480,000 + 35,040 h × $7.427329 against
    // 35,040 h × $20.
    assert_figure("owned over life", r.costs.on_prem_total_usd, 740_253.6);
    assert_figure("rented over life", r.costs.cloud_total_usd, 700_800.0);
}

#[test]
fn a_fleet_of_given_size_is_as_busy_as_the_demand_makes_it() {
    // Eight replicas given, with the rates measured over all eight: each
    // still serves 4,000 tokens/s, 8 attempts/s.
    let mut d = deployment();
    d.hardware.replicas = Some(8);
    let m = d.measured.as_mut().expect("measured");
    m.output_tokens_per_s = Some(4_000.0 * 8.0);
    m.input_tokens_per_s = Some(40_000.0 * 8.0);
    let r = evaluate(&d);
    assert_eq!(r.fleet.replicas, 8);
    assert_eq!(r.fleet.gpus, 16);
    // 8 × 8 attempts/s for an average of 20: 31.25 % busy.
    assert_figure("capacity", r.fleet.capacity_requests_per_s, 64.0);
    assert_figure("utilisation", r.fleet.utilisation, 0.3125);
    assert_figure(
        "a month's rent",
        r.costs.fleet_usd_per_month,
        16.0 * 2.0 * 730.0,
    );
    // The same totals over one replica described: 32,000 tokens/s each.
    d.hardware.replicas = Some(1);
    let r = evaluate(&d);
    assert_figure("capacity", r.fleet.capacity_requests_per_s, 64.0);
    assert_eq!(r.fleet.gpus, 2);
}
