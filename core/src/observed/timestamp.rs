//! Timestamps as power logs write them, to milliseconds since the Unix
//! epoch: `2024/05/01 12:34:56.789` (nvidia-smi), ISO 8601 with a `T` or a
//! space and an optional `Z` or offset, or plain epoch seconds.

/// Milliseconds since 1970-01-01 00:00 UTC of `text`, if it is a timestamp.
pub fn parse_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        // Epoch seconds, within years 0 to 9999.
        return (seconds.abs() < 2.6e11).then(|| (seconds * 1000.0).round() as i64);
    }
    let (date, rest) = text.split_at_checked(10)?;
    let mut parts = date.split(['/', '-']);
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(0..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    // An offset after the time: `Z`, `+02:00`, `-0500`.
    let (time, offset_minutes) = match rest.find(['Z', 'z', '+']).or_else(|| rest.rfind('-')) {
        Some(at) => (&rest[..at], offset(&rest[at..])?),
        None => (rest, 0),
    };
    let mut fields = time.trim().split(':');
    let hour: i64 = fields.next()?.parse().ok()?;
    let minute: i64 = fields.next()?.parse().ok()?;
    let second: f64 = fields.next().unwrap_or("0").parse().ok()?;
    if hour > 23 || minute > 59 || !(0.0..61.0).contains(&second) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let ms = ((days * 24 + hour) * 60 + minute - offset_minutes) * 60_000;
    Some(ms + (second * 1000.0).round() as i64)
}

/// Whether `text` is a wall-clock time with no zone (nvidia-smi's local
/// time), rather than epoch seconds or a time with `Z` or an offset.
pub fn is_local(text: &str) -> bool {
    let text = text.trim();
    text.parse::<f64>().is_err()
        && text
            .get(10..)
            .is_some_and(|time| !time.contains(['Z', 'z', '+', '-']))
}

/// Milliseconds since the epoch of vLLM's compact `20251104-101500`
/// (`%Y%m%d-%H%M%S`, the machine's local time read as if UTC, as
/// nvidia-smi's local timestamps are).
pub fn parse_compact_ms(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once('-')?;
    if date.len() != 8
        || time.len() != 6
        || !(date.chars().chain(time.chars())).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    parse_ms(&format!(
        "{}-{}-{} {}:{}:{}",
        &date[..4],
        &date[4..6],
        &date[6..],
        &time[..2],
        &time[2..4],
        &time[4..]
    ))
}

/// Minutes east of UTC in `Z`, `+hh:mm`, `+hhmm` or `-hh`.
fn offset(text: &str) -> Option<i64> {
    if text.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i64>().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse::<i64>().ok()?),
        _ => return None,
    };
    Some(sign * (hours * 60 + minutes))
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nvidia_smi_and_iso_forms_agree() {
        // 2024-05-01 12:34:56.789 UTC.
        let want = 1_714_566_896_789;
        assert_eq!(parse_ms("2024/05/01 12:34:56.789"), Some(want));
        assert_eq!(parse_ms("2024-05-01T12:34:56.789Z"), Some(want));
        assert_eq!(parse_ms("2024-05-01 14:34:56.789+02:00"), Some(want));
        assert_eq!(parse_ms("2024-05-01T07:34:56.789-0500"), Some(want));
        assert_eq!(parse_ms("1714566896.789"), Some(want));
        assert_eq!(parse_compact_ms("20240501-123456"), Some(want - 789));
        assert_eq!(parse_compact_ms("2024-05-01"), None);
        assert!(is_local("2024/05/01 12:34:56.789"));
        assert!(is_local("2024-05-01T12:34:56"));
        assert!(!is_local("2024-05-01T12:34:56.789Z"));
        assert!(!is_local("2024-05-01 14:34:56.789+02:00"));
        assert!(!is_local("2024-05-01T07:34:56.789-0500"));
        assert!(!is_local("1714566896.789"));
        assert_eq!(parse_compact_ms("20241301-123456"), None);
    }

    #[test]
    fn the_epoch_and_a_leap_day_land_where_they_should() {
        assert_eq!(parse_ms("1970/01/01 00:00:00.000"), Some(0));
        assert_eq!(
            parse_ms("2024/03/01 00:00:00").unwrap() - parse_ms("2024/02/28 00:00:00").unwrap(),
            2 * 86_400_000
        );
    }

    #[test]
    fn what_is_not_a_timestamp_is_refused() {
        for bad in [
            "",
            "yesterday",
            "2024/13/01 00:00:00",
            "2024/05/01 25:00:00",
            "2024/05/01",
            "1e300",
            "NaN",
            "+9999999999/01/01 00:00:00",
        ] {
            assert_eq!(parse_ms(bad), None, "{bad}");
        }
    }
}
