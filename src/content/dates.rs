//! Load stage: what to say about a date that is not `YYYY-MM-DD` (README "Writing a report"):
//! a day the month does not have names the month's last day; a date written another common
//! way (`2023年3月28日`, `2023/3/28`, `2023-3-28`, full-width digits) gets the same date
//! written as it should be.

use chrono::{Datelike, NaiveDate};

use crate::messages::Msg;

/// The hint for `written`, which [`super::front_matter::parse_date`] refused, and whether
/// the date is impossible (then the message says so instead of "not a date").
pub fn explain(written: &str) -> (Option<Msg>, Msg) {
    let parts = numbers(written);
    if let [y, m, d] = parts[..]
        && (1..=12).contains(&m)
        && d > 0
        && let Some(last) = last_day(y, m)
    {
        if d > last {
            let message = Msg::new("date.impossible")
                .arg("date", written)
                .arg("year", y)
                .arg("month", m)
                .arg("days", last);
            let hint = Msg::new("date.last_day").arg("last", format!("{y:04}-{m:02}-{last:02}"));
            return (Some(message), hint);
        }
        if y >= 1000 {
            let fixed = format!("{y:04}-{m:02}-{d:02}");
            return (None, Msg::new("date.write_as").arg("fixed", fixed));
        }
    }
    (None, Msg::new("date.format"))
}

/// The runs of digits in `text` (full-width digits count), when there are at most three.
fn numbers(text: &str) -> Vec<u32> {
    let ascii: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    let runs: Vec<u32> = ascii
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty() && s.len() <= 4)
        .filter_map(|s| s.parse().ok())
        .collect();
    if runs.len() > 3 { Vec::new() } else { runs }
}

fn last_day(year: u32, month: u32) -> Option<u32> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let first_of_next = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, 1)?;
    Some(first_of_next.pred_opt()?.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(written: &str) -> String {
        explain(written).1.english()
    }

    #[test]
    fn an_impossible_day_names_the_last_day_of_its_month() {
        let (message, hint) = explain("2023-02-30");
        assert!(message.unwrap().english().contains("28 days"));
        assert!(hint.english().contains("2023-02-28"));
        assert!(explain("2024-02-30").1.english().contains("2024-02-29"));
        assert!(explain("2023-04-31").1.english().contains("2023-04-30"));
    }

    #[test]
    fn other_ways_of_writing_a_date_get_the_date_to_write() {
        for written in [
            "2023年3月28日",
            "2023/3/28",
            "2023-3-28",
            "２０２３-０３-２８",
            "2023.03.28",
        ] {
            assert!(hint(written).contains("`2023-03-28`"), "{written}");
        }
        assert!(hint("next spring").contains("YYYY-MM-DD"));
        assert!(hint("2023-13-01").contains("YYYY-MM-DD"));
    }
}
