//! How sure a figure is: ranges on the inputs (the person's own, and the
//! performance model's measured error), carried through the whole
//! evaluation by sampling with a fixed seed, to the expected value, P10
//! and P90 of every headline figure and the probability of the
//! statements people decide on.

mod draw;
mod inputs;
mod model_error;
mod propagate;

pub use inputs::{DEFAULT_SAMPLES, DEFAULT_SEED, InputRange, MAX_SAMPLES, Ranges};
pub use model_error::{ErrorSpread, Group, MIN_ROWS, MODEL_ERROR, Quantity, bits, spread_for};
pub use propagate::{
    BreakEven, ConcurrencyBand, Contribution, FigureRange, MEASURED_SPREAD, MonthBand,
    OWNING_MONTHS, Probabilities, RangesReport, Source, Swing, catalogue_spread, check_ranges,
    concurrency_band, evaluate_ranges, months_band, swings,
};

#[cfg(test)]
mod tests;
