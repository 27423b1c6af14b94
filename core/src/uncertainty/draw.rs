//! Draws: a small seeded generator (the same sequence on every platform,
//! server and browser alike) and the distributions the ranges use.

/// SplitMix64: tiny, fast, and good enough for sampling inputs; the same
/// seed gives the same numbers everywhere.
#[derive(Debug, Clone)]
pub struct Draws {
    state: u64,
}

impl Draws {
    /// A sequence starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Draws { state: seed }
    }

    /// The next number in (0, 1), never 0 or 1.
    pub fn uniform(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        // 53 random bits, centred in their interval.
        ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
}

/// The value at cumulative probability `u` of a triangular distribution
/// from `low` to `high` with its peak at `mode`.
pub fn triangular(u: f64, low: f64, mode: f64, high: f64) -> f64 {
    let width = high - low;
    if width <= 0.0 {
        return mode;
    }
    let split = (mode - low) / width;
    if u < split {
        low + (u * width * (mode - low)).sqrt()
    } else {
        high - ((1.0 - u) * width * (high - mode)).sqrt()
    }
}

/// Standard normal quantile (Acklam's rational approximation, relative
/// error below 1.2e-9), for `u` in (0, 1).
pub fn normal_quantile(u: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let u = u.clamp(1e-300, 1.0 - 1e-16);
    if u < 0.024_25 {
        tail((-2.0 * u.ln()).sqrt())
    } else if u > 1.0 - 0.024_25 {
        -tail((-2.0 * (1.0 - u).ln()).sqrt())
    } else {
        let q = u - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// z of the 90th percentile of a standard normal.
pub const Z_90: f64 = 1.281_551_565_545;

/// The value at cumulative probability `u` of a ratio whose 10th, 50th and
/// 90th percentiles are `p10`, `p50`, `p90`: normal in its logarithm, each
/// side with its own width, so a skewed spread stays skewed.
pub fn skewed_ratio(u: f64, p10: f64, p50: f64, p90: f64) -> f64 {
    let z = normal_quantile(u);
    let (m, lo, hi) = (p50.ln(), p10.ln(), p90.ln());
    let width = if z < 0.0 { m - lo } else { hi - m } / Z_90;
    (m + z * width).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_numbers_and_they_are_uniform() {
        let (mut a, mut b) = (Draws::new(7), Draws::new(7));
        let xs: Vec<f64> = (0..10_000).map(|_| a.uniform()).collect();
        assert!(xs.iter().all(|&x| x == b.uniform()));
        assert!(xs.iter().all(|&x| x > 0.0 && x < 1.0));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
        let below = xs.iter().filter(|&&x| x < 0.1).count();
        assert!((900..1100).contains(&below), "{below}");
    }

    #[test]
    fn the_triangular_quantile_matches_its_closed_form() {
        // From 0 to 10, peak at 2: F(2) = 0.2; F(x) = x²/20 below it.
        assert_eq!(triangular(0.2, 0.0, 2.0, 10.0), 2.0);
        assert!((triangular(0.05, 0.0, 2.0, 10.0) - 1.0).abs() < 1e-12);
        // Above the peak, 1 − F(x) = (10 − x)²/80.
        assert!((triangular(1.0 - 0.8, 0.0, 2.0, 10.0) - 2.0).abs() < 1e-12);
        assert!((triangular(0.95, 0.0, 2.0, 10.0) - 8.0).abs() < 1e-12);
        // No width: the value itself.
        assert_eq!(triangular(0.3, 4.0, 4.0, 4.0), 4.0);
    }

    #[test]
    fn the_normal_quantile_and_the_skewed_ratio_hit_their_percentiles() {
        assert!(normal_quantile(0.5).abs() < 1e-9);
        assert!((normal_quantile(0.9) - Z_90).abs() < 1e-8);
        assert!((normal_quantile(0.025) + 1.959_963_985).abs() < 1e-8);
        assert!((normal_quantile(1e-6) + 4.753_424_309).abs() < 1e-6);
        let (p10, p50, p90) = (0.8, 1.1, 1.9);
        assert!((skewed_ratio(0.1, p10, p50, p90) - p10).abs() < 1e-8);
        assert!((skewed_ratio(0.5, p10, p50, p90) - p50).abs() < 1e-12);
        assert!((skewed_ratio(0.9, p10, p50, p90) - p90).abs() < 1e-8);
    }
}
