//! The energy of tokens, at each of the three places power is counted:
//! the accelerators alone (what `nvidia-smi` reads), the servers (the
//! accelerators plus the hosts of the servers they occupy, whole servers),
//! and the facility (the servers times the PUE). Every energy figure of a
//! report comes from here, at load (every accelerator busy) or at the
//! fleet's expected utilisation (idle time's draw shared by the tokens
//! served), so they all use one definition of each scope.
//!
//! Prompt tokens carry the energy of prefill and generated tokens that of
//! decode: the accelerators' draw at load is split by each phase's energy
//! (what the board draws decoding, for decoding's time, is decode's; the
//! rest of the step's energy is the prompts',
//! [`crate::power::prefill_to_decode_energy`]); hosts and idle
//! accelerators, which draw whichever phase runs, are split by each phase's
//! share of the time.

use serde::Serialize;

/// One pool of replicas as energy sees it: the whole fleet, or one pool of
/// a disaggregated deployment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoolDraw {
    /// Its accelerators with every replica busy, W.
    pub gpu_load_w: f64,
    /// Its accelerators idle, W.
    pub gpu_idle_w: f64,
    /// The hosts of its servers, W.
    pub host_w: f64,
    /// Share of its accelerators' energy at load that generating takes.
    pub decode_energy_share: f64,
    /// Share of its time spent generating.
    pub decode_time_share: f64,
    /// Prompt tokens it prefills per second with every replica busy.
    pub input_per_s: f64,
    /// Tokens it generates per second with every replica busy.
    pub output_per_s: f64,
    /// Share of its capacity in use on average, 0 to 1.
    pub utilisation: f64,
}

/// Joules per prompt token and per generated token at one scope.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhaseJoules {
    /// Joules per prompt token (prefill's share).
    pub j_per_input_token: f64,
    /// Joules per generated token (decode's share).
    pub j_per_output_token: f64,
}

/// The same tokens' energy at each scope.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScopedJoules {
    /// Accelerators only.
    pub gpu: PhaseJoules,
    /// Servers: accelerators plus the hosts of their servers.
    pub server: PhaseJoules,
    /// Facility: servers times the PUE.
    pub facility: PhaseJoules,
}

/// When the energy is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Every accelerator busy.
    Full,
    /// At the pools' expected utilisation: idle time's draw included.
    Expected,
}

/// The energy per token of `pools` at each scope, facility overhead `pue`.
/// With no tokens of a kind, its figure is 0; a pool's energy whose
/// phase has no tokens (a prefill pool with no prompts) goes to the other.
pub fn joules(pools: &[PoolDraw], pue: f64, load: Load) -> ScopedJoules {
    // (input W, output W) of the accelerators, of the hosts; tokens/s.
    let (mut gpu, mut host, mut rate) = ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0));
    for p in pools {
        // A pool with no tokens of its own (a prefill pool with no
        // prompts) is never loaded: it draws as it does on average.
        // At least a billionth busy, as the costs take it: a fleet serving
        // nothing has no energy per token to give.
        let u = match load {
            Load::Full if p.input_per_s + p.output_per_s > 0.0 => 1.0,
            _ => p.utilisation.clamp(1e-9, 1.0),
        };
        let (e, t) = (
            p.decode_energy_share.clamp(0.0, 1.0),
            p.decode_time_share.clamp(0.0, 1.0),
        );
        // Busy a share u of the time at load, idle the rest.
        let busy = p.gpu_load_w * u;
        let idle = p.gpu_idle_w * (1.0 - u);
        let gpu_split = (busy * (1.0 - e) + idle * (1.0 - t), busy * e + idle * t);
        let host_split = (p.host_w * (1.0 - t), p.host_w * t);
        let rates = (p.input_per_s * u, p.output_per_s * u);
        gpu.0 += gpu_split.0;
        gpu.1 += gpu_split.1;
        host.0 += host_split.0;
        host.1 += host_split.1;
        rate.0 += rates.0;
        rate.1 += rates.1;
    }
    // Energy of a phase with no tokens rides on the other's.
    if rate.0 <= 0.0 {
        (gpu, host) = ((0.0, gpu.0 + gpu.1), (0.0, host.0 + host.1));
    }
    let per_token = |watts: f64, tokens: f64| if tokens > 0.0 { watts / tokens } else { 0.0 };
    let phase = |w: (f64, f64)| PhaseJoules {
        j_per_input_token: per_token(w.0, rate.0),
        j_per_output_token: per_token(w.1, rate.1),
    };
    let server = (gpu.0 + host.0, gpu.1 + host.1);
    ScopedJoules {
        gpu: phase(gpu),
        server: phase(server),
        facility: phase((server.0 * pue, server.1 * pue)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 8 accelerators at 600 W busy, 100 W idle, a 1,600 W host; a fifth
    /// of the time prefilling at twice decode's power.
    fn pool(utilisation: f64) -> PoolDraw {
        PoolDraw {
            gpu_load_w: 4_800.0,
            gpu_idle_w: 800.0,
            host_w: 1_600.0,
            decode_energy_share: crate::power::decode_energy_share(0.2, 2.0),
            decode_time_share: 0.8,
            input_per_s: 20_000.0,
            output_per_s: 4_000.0,
            utilisation,
        }
    }

    #[test]
    fn at_full_utilisation_the_expected_load_is_the_full_one() {
        let p = [pool(1.0)];
        assert_eq!(joules(&p, 1.3, Load::Full), joules(&p, 1.3, Load::Expected));
    }

    #[test]
    fn by_hand_at_load_and_at_half_utilisation() {
        // Prefill takes 0.4 / 1.2 of the energy: 1,600 W of 4,800.
        let at_load = joules(&[pool(0.5)], 1.5, Load::Full);
        assert!((at_load.gpu.j_per_input_token - 1_600.0 / 20_000.0).abs() < 1e-12);
        assert!((at_load.gpu.j_per_output_token - 3_200.0 / 4_000.0).abs() < 1e-12);
        // Hosts by time: 320 W to prompts, 1,280 W to generated tokens.
        assert!((at_load.server.j_per_output_token - 4_480.0 / 4_000.0).abs() < 1e-12);
        assert!((at_load.facility.j_per_input_token - 1.5 * 1_920.0 / 20_000.0).abs() < 1e-12);
        // Half busy: half the busy energy, idle accelerators for the
        // other half of the time (split by time), the whole host, over
        // half the tokens.
        let half = joules(&[pool(0.5)], 1.5, Load::Expected);
        let output_w = 3_200.0 * 0.5 + 800.0 * 0.5 * 0.8 + 1_280.0;
        assert!((half.server.j_per_output_token - output_w / 2_000.0).abs() < 1e-12);
        assert!(half.server.j_per_output_token > at_load.server.j_per_output_token);
    }

    #[test]
    fn a_pool_with_no_prompts_to_carry_its_energy_hands_it_to_the_generated_tokens() {
        let mut p = pool(1.0);
        p.input_per_s = 0.0;
        let j = joules(&[p], 1.0, Load::Full);
        assert_eq!(j.gpu.j_per_input_token, 0.0);
        assert!((j.gpu.j_per_output_token - 4_800.0 / 4_000.0).abs() < 1e-12);
    }
}
