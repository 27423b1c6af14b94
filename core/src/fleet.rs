//! Fleet sizing: how many replicas a demand needs at its peak, and how busy
//! they are on average.

use serde::{Deserialize, Serialize};

/// Seconds in a day.
const SECONDS_PER_DAY: f64 = 86_400.0;

/// A fleet sized for a demand.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Fleet {
    /// Replicas needed at the peak.
    pub replicas: u32,
    /// Accelerators in the fleet.
    pub gpus: u32,
    /// Average requests per second over the day.
    pub average_requests_per_s: f64,
    /// Requests per second in the peak hour.
    pub peak_requests_per_s: f64,
    /// Requests per second the fleet can serve.
    pub capacity_requests_per_s: f64,
    /// Average demand over capacity, 0 to 1.
    pub utilisation: f64,
}

/// Replicas of `gpus_per_replica` accelerators, each serving
/// `requests_per_s_per_replica`, for `requests_per_day` with a peak hour
/// `peak_to_average` times the average. At least one replica.
pub fn size(
    requests_per_day: f64,
    peak_to_average: f64,
    requests_per_s_per_replica: f64,
    gpus_per_replica: u32,
) -> Fleet {
    let average = requests_per_day / SECONDS_PER_DAY;
    let peak = average * peak_to_average.max(1.0);
    let needed = (peak / requests_per_s_per_replica).ceil().max(1.0);
    // Beyond a million replicas the planner reports the cap; validation keeps demand far below.
    let replicas = needed.min(1e6) as u32;
    let capacity = f64::from(replicas) * requests_per_s_per_replica;
    Fleet {
        replicas,
        gpus: replicas.saturating_mul(gpus_per_replica),
        average_requests_per_s: average,
        peak_requests_per_s: peak,
        capacity_requests_per_s: capacity,
        utilisation: (average / capacity).clamp(0.0, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_sets_the_fleet_and_the_average_its_utilisation() {
        // 2 M requests a day is 23.1/s on average; a peak of 2.5x is 57.9/s.
        let f = size(2_000_000.0, 2.5, 10.0, 8);
        assert_eq!(f.replicas, 6);
        assert_eq!(f.gpus, 48);
        assert!((f.utilisation - 23.148 / 60.0).abs() < 1e-3);
    }

    #[test]
    fn tiny_demand_still_needs_one_replica() {
        let f = size(10.0, 1.0, 5.0, 2);
        assert_eq!(f.replicas, 1);
        assert!(f.utilisation < 0.001);
    }
}
