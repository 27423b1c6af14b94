//! Order statistics shared by the power-log reader and the accuracy report,
//! so a P90 means the same everywhere.

/// The `q` quantile (0 to 1) of ascending `sorted` values, interpolating
/// linearly between the closest ranks; `None` when there are no values.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = q.clamp(0.0, 1.0) * last as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    Some(sorted[low] + (sorted[high] - sorted[low]) * (rank - low as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 0.5), Some(3.0));
        // Rank 0.9 × 4 = 3.6: 4 + 0.6 × (5 − 4).
        assert!((percentile(&v, 0.9).unwrap() - 4.6).abs() < 1e-12);
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&v, 1.0), Some(5.0));
        assert_eq!(percentile(&[2.0, 4.0], 0.5), Some(3.0));
    }

    #[test]
    fn one_value_is_every_quantile_and_none_has_no_quantile() {
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
