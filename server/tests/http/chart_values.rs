//! Where the charts put their data: each plotted point read back through
//! the chart's own axis ticks into months, dollars, tokens/s, and compared
//! with the figures worked out by hand or reported beside the chart.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::StatusCode;
use serde_json::Value;
use tokenfab_core::deployment::Deployment;
use tokenfab_core::tradeoffs;

use crate::figures::within;
use crate::support::TestApp;
use crate::worked_example::owned_server;

/// Colours of the light theme, as the SVG is written.
const FIRST_SERIES: &str = "#2563EB";
const SECOND_SERIES: &str = "#C2410C";
const MARK: &str = "#BE185D";
const AXIS: &str = "#5B6068";

/// How far, in pixels, a point may sit from where its figure puts it: the
/// SVG places points and ticks on whole pixels.
const PIXEL: f64 = 1.0;

/// Points of the concurrency sweep the chart draws.
const SWEEP_POINTS: usize = 48;

/// The value of attribute `name` in tag `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

fn number(tag: &str, name: &str) -> f64 {
    attribute(tag, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Every `<element ...>` opening tag of `kind` in `svg`, with what follows it.
fn elements<'a>(svg: &'a str, kind: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{kind} ");
    svg.match_indices(&open)
        .map(|(at, _)| {
            let end = svg[at..].find('>').map_or(svg.len(), |e| at + e + 1);
            (&svg[at..end], &svg[end..])
        })
        .collect()
}

/// A line drawn through points, in pixels.
struct Line {
    stroke: String,
    width: f64,
    points: Vec<(f64, f64)>,
}

/// A dot, in pixels.
struct Dot {
    x: f64,
    y: f64,
    r: f64,
    fill: String,
}

/// A label: where it is anchored, how, and what it says.
struct Label {
    x: f64,
    y: f64,
    anchor: String,
    dy: String,
    text: String,
}

/// An SVG chart as the elements that carry its data.
struct Chart {
    lines: Vec<Line>,
    dots: Vec<Dot>,
    labels: Vec<Label>,
}

impl Chart {
    fn parse(svg: &str) -> Chart {
        let lines = elements(svg, "polyline")
            .into_iter()
            .map(|(tag, _)| Line {
                stroke: attribute(tag, "stroke").unwrap_or_default().to_owned(),
                width: number(tag, "stroke-width"),
                points: attribute(tag, "points")
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(|p| {
                        let (x, y) = p.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect(),
            })
            .collect();
        let dots = elements(svg, "circle")
            .into_iter()
            .map(|(tag, _)| Dot {
                x: number(tag, "cx"),
                y: number(tag, "cy"),
                r: number(tag, "r"),
                fill: attribute(tag, "fill").unwrap_or_default().to_owned(),
            })
            .collect();
        let labels = elements(svg, "text")
            .into_iter()
            .map(|(tag, rest)| Label {
                x: number(tag, "x"),
                y: number(tag, "y"),
                anchor: attribute(tag, "text-anchor").unwrap_or_default().to_owned(),
                dy: attribute(tag, "dy").unwrap_or_default().to_owned(),
                text: rest[..rest.find("</text>").unwrap()].trim().to_owned(),
            })
            .collect();
        Chart {
            lines,
            dots,
            labels,
        }
    }

    /// The data line drawn in `stroke` with `width`: the one with most points
    /// (the legend's swatches have two).
    fn line(&self, stroke: &str, width: f64) -> &[(f64, f64)] {
        &self
            .lines
            .iter()
            .filter(|l| l.stroke == stroke && l.width == width)
            .max_by_key(|l| l.points.len())
            .unwrap_or_else(|| panic!("no {stroke} line {width} wide"))
            .points
    }

    /// The dots of `fill` with radius `r`, outside the legend: the legend
    /// draws its own dot 5 pixels wide.
    fn dots(&self, fill: &str, r: f64) -> Vec<(f64, f64)> {
        self.dots
            .iter()
            .filter(|d| d.fill == fill && d.r == r)
            .map(|d| (d.x, d.y))
            .collect()
    }

    /// The one label containing `text`.
    fn label(&self, text: &str) -> &str {
        let found: Vec<&Label> = self
            .labels
            .iter()
            .filter(|l| l.text.contains(text))
            .collect();
        assert_eq!(found.len(), 1, "labels containing {text:?}");
        &found[0].text
    }

    /// The numeric tick labels anchored `anchor` with offset `dy`, as
    /// (pixel along the axis, value) pairs.
    fn ticks(&self, anchor: &str, dy: &str, horizontal: bool) -> Vec<(f64, f64)> {
        self.labels
            .iter()
            .filter(|l| l.anchor == anchor && l.dy == dy)
            .filter_map(|l| {
                let value: f64 = l.text.parse().ok()?;
                Some((if horizontal { l.x } else { l.y }, value))
            })
            .collect()
    }

    /// The horizontal axis, from its tick labels.
    fn bottom_axis(&self) -> Axis {
        Axis::through(self.ticks("middle", "0.76em", true), false)
    }

    /// The left axis; `log` for a log scale.
    fn left_axis(&self, log: bool) -> Axis {
        Axis::through(self.ticks("end", "0.5ex", false), log)
    }

    /// The right axis; `log` for a log scale.
    fn right_axis(&self, log: bool) -> Axis {
        Axis::through(self.ticks("start", "0.5ex", false), log)
    }
}

/// An axis as its tick labels place it: pixel = offset + slope × value (or
/// × log10 value).
struct Axis {
    offset: f64,
    slope: f64,
    log: bool,
}

impl Axis {
    /// The least-squares line through `ticks`; every tick must sit on it.
    fn through(ticks: Vec<(f64, f64)>, log: bool) -> Axis {
        assert!(ticks.len() >= 2, "too few ticks: {ticks:?}");
        let t = |v: f64| if log { v.log10() } else { v };
        let n = ticks.len() as f64;
        let mean_t = ticks.iter().map(|(_, v)| t(*v)).sum::<f64>() / n;
        let mean_px = ticks.iter().map(|(px, _)| px).sum::<f64>() / n;
        let slope = ticks
            .iter()
            .map(|(px, v)| (t(*v) - mean_t) * (px - mean_px))
            .sum::<f64>()
            / ticks
                .iter()
                .map(|(_, v)| (t(*v) - mean_t).powi(2))
                .sum::<f64>();
        let axis = Axis {
            offset: mean_px - slope * mean_t,
            slope,
            log,
        };
        for (px, v) in &ticks {
            assert!(
                (axis.pixel(*v) - px).abs() <= 1.0,
                "tick {v} at {px} is off the axis"
            );
        }
        axis
    }

    /// Where `value` is drawn.
    fn pixel(&self, value: f64) -> f64 {
        self.offset + self.slope * if self.log { value.log10() } else { value }
    }

    /// The value drawn at `pixel`.
    fn value(&self, pixel: f64) -> f64 {
        let t = (pixel - self.offset) / self.slope;
        if self.log { 10f64.powf(t) } else { t }
    }
}

/// Pixel distance from `at` to the line through `points`.
fn distance_to(points: &[(f64, f64)], at: (f64, f64)) -> f64 {
    points
        .windows(2)
        .map(|w| {
            let ((x1, y1), (x2, y2)) = (w[0], w[1]);
            let (dx, dy) = (x2 - x1, y2 - y1);
            let along = if dx == 0.0 && dy == 0.0 {
                0.0
            } else {
                (((at.0 - x1) * dx + (at.1 - y1) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0)
            };
            (at.0 - x1 - along * dx).hypot(at.1 - y1 - along * dy)
        })
        .fold(f64::INFINITY, f64::min)
}

/// The line's pixel height at pixel `x`, between its points.
fn height_at(points: &[(f64, f64)], x: f64) -> f64 {
    let w = points
        .windows(2)
        .find(|w| (w[0].0.min(w[1].0)..=w[0].0.max(w[1].0)).contains(&x))
        .unwrap_or_else(|| panic!("{x} is outside the line"));
    let ((x1, y1), (x2, y2)) = (w[0], w[1]);
    if x2 == x1 {
        y1
    } else {
        y1 + (y2 - y1) * (x - x1) / (x2 - x1)
    }
}

/// The number that follows `prefix` in `text`.
fn number_after(text: &str, prefix: &str) -> f64 {
    let at = text.find(prefix).unwrap_or_else(|| panic!("{text:?}")) + prefix.len();
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number after {prefix:?} in {text:?}"))
}

async fn chart(app: &TestApp, kind: &str, deployment: &Value) -> Chart {
    let encoded = URL_SAFE_NO_PAD.encode(deployment.to_string());
    let response = app
        .get(&format!("/api/v1/charts/{kind}.svg?scenario={encoded}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{kind}: {}", response.body);
    Chart::parse(&response.body)
}

/// Mismatches between where points are drawn and where their figures put
/// them, gathered so a failure lists them all.
#[derive(Default)]
struct Placement {
    off: Vec<String>,
}

impl Placement {
    /// Expects pixel `drawn` at `expected` (what `what` puts there) within [`PIXEL`].
    fn check(&mut self, what: &str, drawn: f64, expected: f64) {
        if (drawn - expected).abs() > PIXEL {
            self.off.push(format!(
                "{what}: drawn at {drawn} px, its figure puts it at {expected:.1} px"
            ));
        }
    }

    fn finish(self, chart: &str) {
        assert!(
            self.off.is_empty(),
            "{chart}: {} point(s) away from their figures:\n{}",
            self.off.len(),
            self.off.join("\n")
        );
    }
}

/// The months chart of `owned-server-worked.json`, against hand-derived
/// figures (see [`crate::worked_example::HAND_FIGURES`] for the working):
///
/// - Renting 8 × $2.94 = $23.52 an hour is 23.52 × 730 = $17,169.60 a
///   month: the cloud line rises from $0 by that much each month.
/// - Owning costs the $300,000 purchase at month 0, then everything but
///   capital: 20.686973 − 10.339754 = $10.347219 an hour, × 730 = $7,553.470
///   a month.
/// - They meet when 300,000 + 7,553.470 m = 17,169.6 m: m = 300,000 /
///   9,616.130 = 31.1976 months, at 17,169.6 × 31.1976 = $535,648.
/// - The chart spans the 4-year (48-month) life, which is longer than
///   1.3 × 31.2 = 40.6 months: 49 monthly points, 0 to 48.
#[tokio::test]
async fn the_months_chart_plots_rent_purchase_and_break_even_where_the_numbers_put_them() {
    const RENT_PER_MONTH: f64 = 17_169.6;
    const PURCHASE: f64 = 300_000.0;
    const RUNNING_PER_MONTH: f64 = 7_553.470;
    const BREAK_EVEN: f64 = 31.1976;

    let app = TestApp::new().await;
    let chart = chart(&app, "months", &owned_server()).await;
    let months = chart.bottom_axis();
    let dollars = chart.left_axis(false);
    // The axis is in thousands of dollars, as its name says.
    let unit = chart.label("cumulative cost");
    assert!(unit.ends_with("$ (thousands)"), "{unit}");
    let usd = |pixel: f64| dollars.value(pixel) * 1e3;
    let usd_pixel = |value: f64| dollars.pixel(value / 1e3);

    let cloud = chart.line(FIRST_SERIES, 3.0);
    let owned = chart.line(SECOND_SERIES, 3.0);
    assert_eq!(cloud.len(), 49);
    assert_eq!(owned.len(), 49);
    let mut placed = Placement::default();
    for (m, (rent, own)) in cloud.iter().zip(owned).enumerate() {
        let month = m as f64;
        placed.check(&format!("month {m}"), rent.0, months.pixel(month));
        placed.check(&format!("owned, month {m}"), own.0, months.pixel(month));
        placed.check(
            &format!("rent paid by month {m}"),
            rent.1,
            usd_pixel(RENT_PER_MONTH * month),
        );
        placed.check(
            &format!("owned cost by month {m}"),
            own.1,
            usd_pixel(PURCHASE + RUNNING_PER_MONTH * month),
        );
    }
    placed.finish("months chart");

    // Read back as numbers: the lines' slopes and the owned line's start.
    let slope = |line: &[(f64, f64)]| {
        let (first, last) = (line[0], line[line.len() - 1]);
        (usd(last.1) - usd(first.1)) / (months.value(last.0) - months.value(first.0))
    };
    let rent_slope = slope(cloud);
    assert!(within(rent_slope, RENT_PER_MONTH, 0.005), "{rent_slope}");
    let running_slope = slope(owned);
    assert!(
        within(running_slope, RUNNING_PER_MONTH, 0.01),
        "{running_slope}"
    );
    let start = usd(owned[0].1);
    assert!(
        within(start, PURCHASE, 0.01),
        "owned line starts at {start}"
    );
    assert!(usd(cloud[0].1).abs() < 3_000.0);

    // The break-even marker: a dot where the lines cross and a line down
    // to the month axis.
    let marker = chart.dots(MARK, 6.0);
    assert_eq!(marker.len(), 1, "{marker:?}");
    let (x, y) = marker[0];
    let month = months.value(x);
    assert!(
        (month - BREAK_EVEN).abs() <= PIXEL / months.slope,
        "at month {month}"
    );
    let at = usd(y);
    let crossing = RENT_PER_MONTH * BREAK_EVEN;
    assert!(
        (y - usd_pixel(crossing)).abs() <= PIXEL,
        "marker at ${at}, lines cross at ${crossing}"
    );
    assert!((height_at(cloud, x) - y).abs() <= PIXEL);
    assert!((height_at(owned, x) - y).abs() <= PIXEL);
    let drop = chart.line(MARK, 1.0);
    assert!(drop.iter().all(|p| (p.0 - x).abs() <= PIXEL), "{drop:?}");
    let label = chart.label("break-even: month");
    assert_eq!(number_after(label, "break-even: month "), 31.2, "{label}");
}

/// The concurrency chart of the support-chat deployment, which has no
/// measured values, so its curve and its operating point come from the
/// same model. The curve is the core's concurrency sweep; the marked point
/// is the report's; and whatever the model, serving more sequences at once
/// never lowers the throughput per GPU and never speeds up any one user.
#[tokio::test]
async fn the_concurrency_chart_plots_the_sweep_and_marks_the_reported_operating_point() {
    let text = include_str!("../../../tests/scenarios/llama-70b-support-chat.json");
    let deployment: Value = serde_json::from_str(text).unwrap();
    let app = TestApp::new().await;
    let evaluated = app
        .post_json("/api/v1/evaluate", deployment.to_string())
        .await;
    assert_eq!(evaluated.status, StatusCode::OK);
    let report = evaluated.json()["report"].clone();
    let chart = chart(&app, "concurrency", &deployment).await;
    let per_user = chart.bottom_axis();
    let per_gpu = chart.left_axis(false);
    let usd_per_m = chart.right_axis(true);

    let sweep = tradeoffs::concurrency_sweep(
        &Deployment::from_json(text).unwrap().evaluated().unwrap(),
        SWEEP_POINTS,
    );
    let throughput = chart.line(FIRST_SERIES, 3.0);
    let cost = chart.line(SECOND_SERIES, 2.0);
    assert_eq!(throughput.len(), sweep.len());
    assert_eq!(cost.len(), sweep.len());
    let mut placed = Placement::default();
    for ((p, drawn), priced) in sweep.iter().zip(throughput).zip(cost) {
        let c = p.concurrency;
        placed.check(
            &format!("speed per user at concurrency {c}"),
            drawn.0,
            per_user.pixel(p.tokens_per_s_per_user),
        );
        placed.check(
            &format!("throughput per GPU at concurrency {c}"),
            drawn.1,
            per_gpu.pixel(p.tokens_per_s_per_gpu),
        );
        placed.check(
            &format!("$/M at concurrency {c}"),
            priced.1,
            usd_per_m.pixel(p.usd_per_m_output),
        );
        // plotters lays the right axis's coordinates out up to a pixel
        // apart from the left's.
        placed.check(
            &format!("$/M line's speed per user at concurrency {c}"),
            priced.0 - 0.5,
            per_user.pixel(p.tokens_per_s_per_user),
        );
    }
    placed.finish("concurrency chart");

    // From concurrency 1 upwards: throughput per GPU never falls (upward is
    // a smaller pixel), speed per user never rises.
    assert!(
        sweep
            .windows(2)
            .all(|w| w[0].concurrency < w[1].concurrency)
    );
    for w in throughput.windows(2) {
        assert!(w[1].1 <= w[0].1, "throughput falls: {w:?}");
        assert!(w[1].0 <= w[0].0, "a user speeds up: {w:?}");
    }
    // Each point that raises the throughput is on the Pareto front: dotted.
    let dots = chart.dots(FIRST_SERIES, 3.0);
    let front: Vec<(f64, f64)> = throughput
        .iter()
        .zip(&sweep)
        .filter(|(_, p)| p.pareto)
        .map(|(d, _)| *d)
        .collect();
    assert_eq!(dots, front);

    // The operating point is where the report puts it, on the curve, at a
    // speed per user within the TPOT target (1,000 / 50 ms = 20 tokens/s).
    let performance = &report["performance"];
    let speed = performance["tokens_per_s_per_user"].as_f64().unwrap();
    let tpot_ms = performance["tpot_ms"].as_f64().unwrap();
    assert!(within(speed, 1e3 / tpot_ms, 1e-12));
    let gpu_rate = performance["output_tokens_per_s_per_gpu"].as_f64().unwrap();
    let replica_rate = performance["output_tokens_per_s_per_replica"]
        .as_f64()
        .unwrap();
    assert!(within(gpu_rate, replica_rate / 4.0, 1e-12));
    let marker = chart.dots(MARK, 6.0);
    assert_eq!(marker.len(), 1);
    let (x, y) = marker[0];
    let mut placed = Placement::default();
    placed.check("operating point, speed per user", x, per_user.pixel(speed));
    placed.check(
        "operating point, throughput per GPU",
        y,
        per_gpu.pixel(gpu_rate),
    );
    placed.finish("concurrency chart's operating point");
    assert!(distance_to(throughput, (x, y)) <= PIXEL, "off the curve");
    assert_eq!(performance["meets_latency_targets"], true);
    let target = per_user.pixel(20.0);
    let target_line = chart
        .lines
        .iter()
        .filter(|l| l.stroke == AXIS && l.points.len() == 2)
        .filter(|l| l.points[0].0 == l.points[1].0 && (l.points[0].1 - l.points[1].1).abs() > 100.0)
        .any(|l| (l.points[0].0 - target).abs() <= PIXEL);
    assert!(target_line, "no TPOT target line at 20 tokens/s per user");
    assert!(
        x >= target - PIXEL,
        "the marked point misses the TPOT target"
    );
    let label = chart.label("this deployment: concurrency");
    assert_eq!(
        number_after(label, "concurrency "),
        performance["concurrency"].as_f64().unwrap(),
        "{label}"
    );
    let at_load = report["costs"]["at_load"]["usd_per_m_output"]
        .as_f64()
        .unwrap();
    // Three significant figures.
    assert!(within(number_after(label, "$"), at_load, 0.005), "{label}");
}

/// The utilisation chart of `owned-server-worked.json`, by hand (working in
/// [`crate::worked_example::HAND_FIGURES`]): at utilisation u the server
/// serves 20,000 × 3,600 × u = 72 M × u tokens an hour.
///
/// - Rented: $23.52 an hour whatever the load: 23.52 / 72 u = 0.3266667 / u
///   dollars per million (1.088889 at 30 %).
/// - Owned: capital, maintenance, hosting and staff are 10.339754 +
///   2.739726 + 1.458904 + 5.707763 = $20.246147 an hour; electricity at
///   u is (2.0 + 5.1 u) kW × 1.4 × $0.0892 = 0.249760 + 0.636888 u. So
///   (20.495907 + 0.636888 u) / 72 u per million: 0.957730 at 30 %, the
///   report's figure, and 0.2935110 at 100 %.
#[tokio::test]
async fn the_utilisation_chart_plots_rented_and_owned_cost_where_the_numbers_put_them() {
    let rented = |u: f64| 0.326_666_7 / u;
    let owned = |u: f64| (20.495_907 + 0.636_888 * u) / (72.0 * u);
    let app = TestApp::new().await;
    let chart = chart(&app, "utilisation", &owned_server()).await;
    let percent = chart.bottom_axis();
    let usd_per_m = chart.left_axis(true);
    let cloud = chart.line(FIRST_SERIES, 3.0);
    let own = chart.line(SECOND_SERIES, 3.0);
    assert_eq!(cloud.len(), 20);
    assert_eq!(own.len(), 20);
    let mut placed = Placement::default();
    for (i, (c, o)) in cloud.iter().zip(own).enumerate() {
        let u = (i + 1) as f64 * 0.05;
        let at = format!("{:.0} %", u * 100.0);
        placed.check(&format!("rented, {at}"), c.0, percent.pixel(u * 100.0));
        placed.check(
            &format!("rented $/M at {at}"),
            c.1,
            usd_per_m.pixel(rented(u)),
        );
        placed.check(
            &format!("owned $/M at {at}"),
            o.1,
            usd_per_m.pixel(owned(u)),
        );
    }
    let marker = chart.dots(MARK, 6.0);
    assert_eq!(marker.len(), 1);
    placed.check(
        "this deployment, utilisation",
        marker[0].0,
        percent.pixel(30.0),
    );
    placed.check(
        "this deployment, $/M",
        marker[0].1,
        usd_per_m.pixel(0.957_730),
    );
    placed.check(
        "this deployment against the owned line",
        marker[0].1,
        height_at(own, marker[0].0),
    );
    placed.finish("utilisation chart");
    let label = chart.label("this deployment:");
    assert!(label.contains("30 % utilised, $0.958/M"), "{label}");
}
