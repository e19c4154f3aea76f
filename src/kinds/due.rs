//! Check stage: where one department's report of one kind and year stands against its deadline
//! (README "Report kinds"), as of a day in the site's time zone. Pure date arithmetic: the
//! caller says what "today" is, so the answer never depends on the machine's clock or zone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::messages::Msg;

/// One cell of the status table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standing {
    /// Published on or before the deadline.
    OnTime,
    /// Published this many days after the deadline.
    Late(i64),
    /// Only a draft exists.
    Draft,
    /// Nothing published and the deadline has passed.
    Missing,
    /// Nothing published yet, and the deadline is today or later.
    NotYetDue,
}

impl Standing {
    /// The rule's name for the state, for classes and machine-readable output.
    pub fn name(self) -> &'static str {
        match self {
            Standing::OnTime => "on-time",
            Standing::Late(_) => "late",
            Standing::Draft => "draft",
            Standing::Missing => "missing",
            Standing::NotYetDue => "not-yet-due",
        }
    }

    /// The state in words, as a message of the `kinds` catalogues.
    pub fn msg(self) -> Msg {
        match self {
            Standing::OnTime => Msg::new("kinds.on_time"),
            Standing::Late(1) => Msg::new("kinds.late_by_one"),
            Standing::Late(n) => Msg::new("kinds.late_by").arg("n", n),
            Standing::Draft => Msg::new("kinds.draft"),
            Standing::Missing => Msg::new("kinds.missing"),
            Standing::NotYetDue => Msg::new("kinds.not_yet_due"),
        }
    }

    /// The state in words, in `lang` (`zh…` Chinese, else English): a page's language on the
    /// status page, the reader's in `gongkai status`.
    pub fn text(self, lang: &str) -> String {
        super::messages_in(lang).render(&self.msg())
    }
}

/// How many days after `due` a report dated `published` came out; 0 when on time.
pub fn days_late(published: NaiveDate, due: NaiveDate) -> i64 {
    (published - due).num_days().max(0)
}

/// The standing of a cell: `published` is the date of the report as published (None when
/// none is), `draft` whether a draft exists, `due` the last on-time day, `today` the site's
/// date. A report published after `today` (dated ahead) still counts as published.
pub fn standing(
    published: Option<NaiveDate>,
    draft: bool,
    due: NaiveDate,
    today: NaiveDate,
) -> Standing {
    match published {
        Some(date) if date <= due => Standing::OnTime,
        Some(date) => Standing::Late(days_late(date, due)),
        None if draft => Standing::Draft,
        None if today > due => Standing::Missing,
        None => Standing::NotYetDue,
    }
}

/// The calendar day at instant `now` in the zone `tz`.
pub fn today_in(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// "Today" in `tz`: `overridden` when given (`GONGKAI_TODAY`, README "Report kinds"), else the
/// machine's clock read as an instant and shown in the site's zone.
pub fn today(tz: Tz, overridden: Option<NaiveDate>) -> NaiveDate {
    overridden.unwrap_or_else(|| today_in(tz, DateTime::<Utc>::from(std::time::SystemTime::now())))
}

/// Parses a `GONGKAI_TODAY` value (`YYYY-MM-DD`); the error is a usage error's message.
pub fn parse_today(value: &str) -> Result<NaiveDate, Msg> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| Msg::new("kinds.bad_today").arg("value", value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_today(s).unwrap()
    }

    #[test]
    fn the_site_zone_decides_the_day_not_utc() {
        // 23:30 UTC on 31 March is 07:30 on 1 April in Shanghai.
        let now = DateTime::parse_from_rfc3339("2024-03-31T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let shanghai = today_in(chrono_tz::Asia::Shanghai, now);
        assert_eq!(shanghai, day("2024-04-01"));
        assert_eq!(today_in(chrono_tz::UTC, now), day("2024-03-31"));
        let due = day("2024-03-31");
        assert_eq!(standing(None, false, due, shanghai), Standing::Missing);
        assert_eq!(
            standing(None, false, due, today_in(chrono_tz::UTC, now)),
            Standing::NotYetDue
        );
    }

    #[test]
    fn published_drafts_and_lateness() {
        let due = day("2024-03-31");
        let today = day("2024-06-01");
        assert_eq!(
            standing(Some(due), false, due, today),
            Standing::OnTime,
            "the deadline day itself is on time"
        );
        let late = standing(Some(day("2024-04-10")), false, due, today);
        assert_eq!(late, Standing::Late(10));
        assert_eq!(late.text("en"), "late by 10 days");
        assert_eq!(late.text("zh"), "逾期10天发布");
        assert_eq!(standing(None, true, due, today), Standing::Draft);
        assert_eq!(standing(None, false, due, due), Standing::NotYetDue);
        assert_eq!(
            standing(None, false, due, day("2024-04-01")),
            Standing::Missing
        );
        assert_eq!(
            super::today(chrono_tz::UTC, Some(day("2020-01-02"))),
            day("2020-01-02")
        );
        assert!(parse_today("2024-13-01").is_err());
    }
}
