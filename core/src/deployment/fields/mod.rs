//! The registry of a deployment's numeric inputs. Each field is written
//! once: its JSON path, its words and unit, its accepted range, its help
//! text, where it sits on the page, which step of the evaluation it feeds,
//! and how to read and change it on a [`Deployment`]. Range checks, error
//! paths, the page's form, sweeps and the sensitivity chart's inputs and
//! labels all come from here, so a new input is one entry here plus its use
//! in the model.

mod registry;

pub use registry::*;

use super::inputs::Deployment;
use crate::input::{InputError, Range};

/// Which panel of the page, and which object of the JSON, a field is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The model's dimensions (`model.spec`).
    Model,
    /// The accelerator's figures (`hardware.spec`).
    Accelerator,
    /// Parallelism and hosts (`hardware`).
    Hardware,
    /// The stack's efficiency, when fitted (`hardware.efficiency`).
    Efficiency,
    /// Power factors, when fitted (`hardware.power`).
    PowerFactors,
    /// Prices, electricity, PUE and carbon (`pricing`).
    Pricing,
    /// Owning costs (`pricing.on_prem`).
    OnPrem,
    /// Request shape, demand and targets (`use_case`).
    UseCase,
    /// Measurements replacing predictions (`measured`).
    Measured,
}

/// The first step of an evaluation a field feeds: a sweep over a field
/// that only reaches the economics keeps the operating point it found once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The performance model: memory, operating point, latency.
    Model,
    /// Fleet, power, money and the per-response figures only.
    Economics,
}

/// How a field is read and written.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Always present.
    Required {
        get: fn(&Deployment) -> f64,
        set: fn(&mut Deployment, f64),
    },
    /// May be absent; an absent value means "not given".
    Optional {
        get: fn(&Deployment) -> Option<f64>,
        set: fn(&mut Deployment, Option<f64>),
    },
}

/// Words for a field: its label in its panel, its name on its own, its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// Label on the page, read within its panel ("Prompt").
    pub label: &'static str,
    /// Name on its own, for chart axes and tables ("prompt tokens").
    pub name: &'static str,
    /// Unit shown beside the value ("tokens"); empty for a pure number.
    pub unit: &'static str,
    /// A short hint under the box; empty for none.
    pub help: &'static str,
}

/// One numeric input of a deployment.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The accepted range; its `field` is the JSON path.
    pub range: Range,
    /// How it is described.
    pub words: Words,
    /// Element id of its box on the planner page; `None` when the page
    /// does not show it (fitted factors, say).
    pub form_id: Option<&'static str>,
    /// Where it belongs.
    pub group: Group,
    /// The first evaluation step it feeds.
    pub stage: Stage,
    access: Access,
}

impl Field {
    /// A field always given.
    pub(super) const fn required(
        range: Range,
        words: Words,
        place: (Group, Option<&'static str>),
        stage: Stage,
        get: fn(&Deployment) -> f64,
        set: fn(&mut Deployment, f64),
    ) -> Field {
        Field::new(range, words, place, stage, Access::Required { get, set })
    }

    /// A field that may be left out.
    pub(super) const fn optional(
        range: Range,
        words: Words,
        place: (Group, Option<&'static str>),
        stage: Stage,
        get: fn(&Deployment) -> Option<f64>,
        set: fn(&mut Deployment, Option<f64>),
    ) -> Field {
        Field::new(range, words, place, stage, Access::Optional { get, set })
    }

    const fn new(
        range: Range,
        words: Words,
        (group, form_id): (Group, Option<&'static str>),
        stage: Stage,
        access: Access,
    ) -> Field {
        Field {
            range,
            words,
            form_id,
            group,
            stage,
            access,
        }
    }

    /// The JSON path (`pricing.usd_per_gpu_hour`).
    pub const fn path(&self) -> &'static str {
        self.range.field
    }

    /// Whether the field may be left out.
    pub const fn optional_field(&self) -> bool {
        matches!(self.access, Access::Optional { .. })
    }

    /// The value in `d`; `None` when an optional field is not given (or a
    /// catalogue entry's figure is unknown).
    #[inline]
    pub fn get(&self, d: &Deployment) -> Option<f64> {
        match self.access {
            Access::Required { get, .. } => Some(get(d)),
            Access::Optional { get, .. } => get(d),
        }
    }

    /// Checks `value` against the range and writes it into `d`; `None`
    /// clears an optional field. A model or accelerator from the catalogue
    /// becomes custom figures with this one changed.
    ///
    /// # Errors
    /// The value out of range, or `None` for a field that must be given;
    /// `d` is then unchanged.
    pub fn set(&self, d: &mut Deployment, value: Option<f64>) -> Result<(), InputError> {
        let checked = value.map(|v| self.range.check(v)).transpose()?;
        match (self.access, checked) {
            (Access::Required { set, .. }, Some(v)) => set(d, v),
            (Access::Required { .. }, None) => {
                return Err(InputError {
                    field: self.path(),
                    problem: crate::input::Problem::NotANumber,
                });
            }
            (Access::Optional { set, .. }, v) => set(d, v),
        }
        Ok(())
    }
}

/// A field by its JSON path.
pub fn by_path(path: &str) -> Option<&'static Field> {
    ALL.iter().copied().find(|f| f.path() == path)
}

/// Position of a field in [`ALL`], for tables indexed by field.
pub fn index_of(field: &Field) -> usize {
    ALL.iter()
        .position(|f| f.path() == field.path())
        .unwrap_or_else(|| unreachable!("every field is in ALL"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_names_one_field() {
        for (i, f) in ALL.iter().enumerate() {
            assert_eq!(index_of(f), i, "{} is listed twice", f.path());
            assert!(!f.words.label.is_empty() && !f.words.name.is_empty());
        }
    }

    #[test]
    fn every_field_reads_back_what_was_set() {
        let mut d = Deployment::example();
        for f in ALL {
            let value = f.range.min.max(0.0) + 1.0;
            let value = value.min(f.range.max);
            f.set(&mut d, Some(value)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(f.get(&d), Some(value), "{}", f.path());
        }
    }

    #[test]
    fn a_value_out_of_range_changes_nothing() {
        let mut d = Deployment::example();
        let e = PUE.set(&mut d, Some(0.5)).unwrap_err();
        assert_eq!(e.field, "pricing.pue");
        assert_eq!(d, Deployment::example());
        let e = GPUS_PER_REPLICA.set(&mut d, Some(1.5)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "hardware.gpus_per_replica: must be a whole number, got 1.5"
        );
        assert_eq!(d, Deployment::example());
    }

    #[test]
    fn clearing_the_last_measurement_leaves_none() {
        let mut d = Deployment::example();
        MEASURED_WATTS.set(&mut d, Some(900.0)).unwrap();
        assert_eq!(d.measured.as_ref().and_then(|m| m.watts), Some(900.0));
        MEASURED_WATTS.set(&mut d, None).unwrap();
        assert_eq!(d.measured, None);
    }
}
