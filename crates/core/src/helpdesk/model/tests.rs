//! The model on a hand-computed fixture. Calendar: Monday to Friday, 09:00-17:00
//! UTC, Friday 25 December 2026 a holiday. Period P: Monday 21 December 2026 to
//! Monday 4 January 2027. Every expected number below is worked out in a comment.

use super::*;
use crate::helpdesk::ticket::EventKind as K;
use serde_json::json;

const SUPPORT: AccountId = AccountId(100);
const PEER1: AccountId = AccountId(200);
const PEER2: AccountId = AccountId(201);
const PEER3: AccountId = AccountId(202);
const PEER4: AccountId = AccountId(203);

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn settings() -> HelpdeskSettings {
    HelpdeskSettings::default()
        .patched(&json!({
            "w_view": 0.1,
            "probability": {"how_to": 0.5},
            "calendar": {"holidays": ["2026-12-25"]},
        }))
        .unwrap()
}

fn period() -> Period {
    Period {
        since: at("2026-12-21T00:00:00Z"),
        until: at("2027-01-04T00:00:00Z"),
    }
}

/// A log entry; `who` is (account, is support).
fn entry(kind: EventKind, when: &str, who: (AccountId, bool)) -> LogEntry {
    LogEntry {
        kind,
        at: at(when),
        actor: Some(who.0),
        actor_is_support: who.1,
        subject: None,
        subject_is_support: false,
        status_id: None,
        minutes: None,
        value: None,
    }
}

fn created(when: &str, asker: AccountId, category: &str) -> LogEntry {
    LogEntry {
        value: Some(category.to_owned()),
        ..entry(K::Created, when, (asker, false))
    }
}

fn accepted(when: &str, by: AccountId, author: (AccountId, bool), answer: i64) -> LogEntry {
    LogEntry {
        subject: Some(author.0),
        subject_is_support: author.1,
        status_id: Some(StatusId(answer)),
        ..entry(K::Accepted, when, (by, false))
    }
}

fn reuse(kind: EventKind, when: &str, who: (AccountId, bool)) -> LogEntry {
    LogEntry {
        subject: Some(who.0),
        subject_is_support: who.1,
        ..entry(kind, when, who)
    }
}

fn minutes(when: &str, minutes: i64) -> LogEntry {
    LogEntry {
        minutes: Some(minutes),
        ..entry(K::Minutes, when, (SUPPORT, true))
    }
}

fn facts(id: i64, asker: i64, when: &str, log: Vec<LogEntry>) -> TicketFacts {
    TicketFacts::from_log(TicketId(id), AccountId(asker), at(when), &log, &settings())
}

fn fixture() -> Vec<TicketFacts> {
    let (a1, a2, a3, a4, a5, a6) = (
        AccountId(1),
        AccountId(2),
        AccountId(3),
        AccountId(4),
        AccountId(5),
        AccountId(6),
    );
    let support = (SUPPORT, true);
    // T1, network, peer-resolved, reused by two people and viewed by ten.
    let mut t1 = facts(
        1,
        1,
        "2026-12-24T16:00:00Z",
        vec![
            created("2026-12-24T16:00:00Z", a1, "network"),
            entry(K::Reply, "2026-12-28T10:00:00Z", (PEER1, false)),
            accepted("2026-12-28T11:00:00Z", a1, (PEER1, false), 11),
            reuse(K::Reuse, "2026-12-29T09:00:00Z", (PEER2, false)),
            reuse(K::Reuse, "2026-12-29T09:05:00Z", (a1, false)),
            reuse(K::Reuse, "2026-12-29T09:10:00Z", support),
            reuse(K::DuplicateLinked, "2026-12-30T12:00:00Z", (PEER3, false)),
            reuse(K::Reuse, "2026-12-31T12:00:00Z", (PEER2, false)),
            // More than W = 30 days after the resolution: not counted.
            reuse(K::Reuse, "2027-02-10T12:00:00Z", (PEER4, false)),
        ],
    );
    t1.viewers = 10;
    vec![
        t1,
        // T2, software (set by support at triage), answered and resolved by support.
        facts(
            2,
            2,
            "2026-12-21T09:30:00Z",
            vec![
                created("2026-12-21T09:30:00Z", a2, "other"),
                LogEntry {
                    value: Some("software".to_owned()),
                    ..entry(K::Category, "2026-12-21T09:45:00Z", support)
                },
                entry(K::Reply, "2026-12-21T11:30:00Z", support),
                entry(K::Reply, "2026-12-21T14:00:00Z", support),
                accepted("2026-12-22T10:00:00Z", a2, support, 21),
            ],
        ),
        // T3, how-to (p = 0.5), minutes logged, peer answer, one reuse.
        facts(
            3,
            3,
            "2026-12-22T15:00:00Z",
            vec![
                created("2026-12-22T15:00:00Z", a3, "how_to"),
                entry(K::Reply, "2026-12-22T16:00:00Z", (PEER1, false)),
                entry(K::Reply, "2026-12-23T10:00:00Z", support),
                minutes("2026-12-23T10:05:00Z", 4),
                minutes("2026-12-23T10:30:00Z", 2),
                accepted("2026-12-23T12:00:00Z", a3, (PEER1, false), 31),
                reuse(K::Reuse, "2026-12-23T13:00:00Z", (PEER2, false)),
            ],
        ),
        // T4, hardware, resolved then reopened the next day: not in Resolved(P).
        facts(
            4,
            4,
            "2026-12-28T09:00:00Z",
            vec![
                created("2026-12-28T09:00:00Z", a4, "hardware"),
                entry(K::Reply, "2026-12-28T09:30:00Z", support),
                accepted("2026-12-28T10:00:00Z", a4, support, 41),
                entry(K::Reopened, "2026-12-29T09:00:00Z", (a4, false)),
            ],
        ),
        // T5, access, never answered, escalated.
        facts(
            5,
            5,
            "2026-12-29T09:00:00Z",
            vec![
                created("2026-12-29T09:00:00Z", a5, "access"),
                LogEntry {
                    value: Some("INC-42".to_owned()),
                    ..entry(K::Escalated, "2026-12-31T10:00:00Z", support)
                },
            ],
        ),
        // T6, other, created before P and resolved in it by a peer.
        facts(
            6,
            6,
            "2026-12-18T16:00:00Z",
            vec![
                created("2026-12-18T16:00:00Z", a6, "other"),
                entry(K::Reply, "2026-12-21T09:30:00Z", (PEER2, false)),
                accepted("2026-12-21T10:00:00Z", a6, (PEER2, false), 61),
            ],
        ),
    ]
}

fn figures() -> Vec<TicketFigures> {
    let settings = settings();
    let now = at("2027-02-01T00:00:00Z");
    fixture()
        .into_iter()
        .map(|facts| TicketFigures::compute(facts, &settings, period(), now))
        .collect()
}

#[test]
fn each_tickets_durations_count_business_hours_across_the_weekend_and_the_holiday() {
    let rows = figures();
    // T1: Thu 24 Dec 16:00 -> Mon 28 Dec 10:00 = 1 h Thu + (Fri holiday, weekend) + 1 h Mon.
    assert_eq!(rows[0].first_response_business_hours, Some(2.0));
    assert_eq!(rows[0].first_response_hours, Some(90.0));
    // ... and to the answer at Mon 11:00, 3 business hours, 91 calendar hours.
    assert_eq!(rows[0].resolution_business_hours, Some(3.0));
    assert_eq!(rows[0].resolution_hours, Some(91.0));
    // T2: Mon 09:30 -> Tue 10:00 = 7.5 h Mon + 1 h Tue.
    assert_eq!(rows[1].resolution_business_hours, Some(8.5));
    assert_eq!(rows[1].resolution_hours, Some(24.5));
    // T3: first support reply Tue 15:00 -> Wed 10:00 = 2 h + 1 h.
    assert_eq!(rows[2].first_support_response_business_hours, Some(3.0));
    assert_eq!(rows[2].first_support_response_hours, Some(19.0));
    // T6: Fri 18 Dec 16:00 -> Mon 21 Dec 10:00 = 1 h Fri + 1 h Mon.
    assert_eq!(rows[5].resolution_business_hours, Some(2.0));
    assert_eq!(rows[5].resolution_hours, Some(66.0));
}

#[test]
fn each_tickets_inputs_and_contributions_match_the_hand_computation() {
    let rows = figures();
    let t = |i: usize| &rows[i];
    // T1: reuse = PEER2 and PEER3 (not the asker, not support, not twice, not late).
    assert_eq!(t(0).facts.reuse, 2);
    assert_eq!(t(0).facts.resolved_by_peer, Some(true));
    assert_eq!(t(0).support_minutes, 0.0);
    // D = 1.0 * max(0, 15 - 0) = 15; U = 15 * 1.0 * 2 = 30, expected 15 * (2 + 0.1 * 10) = 45.
    assert_eq!(
        (
            t(0).direct_minutes,
            t(0).reuse_minutes_conservative,
            t(0).reuse_minutes_expected
        ),
        (15.0, 30.0, 45.0)
    );
    // T2: category set by support; 2 replies * 3 + triage 1 = 7; D = 15 - 7 = 8.
    assert_eq!(t(1).facts.category, Category::Software);
    assert!(t(1).facts.triaged && !t(1).support_minutes_logged);
    assert_eq!((t(1).support_minutes, t(1).direct_minutes), (7.0, 8.0));
    assert_eq!(t(1).facts.resolved_by_peer, Some(false));
    // T3: 4 + 2 minutes logged (replies ignored); D = 0.5 * (10 - 6) = 2; U = 10 * 1.
    assert!(t(2).support_minutes_logged);
    assert_eq!((t(2).support_minutes, t(2).direct_minutes), (6.0, 2.0));
    assert_eq!(
        (t(2).reuse_minutes_conservative, t(2).reuse_minutes_expected),
        (10.0, 10.0)
    );
    // T4: reopened within R, so not resolved and no savings; one support reply = 3 min.
    assert!(t(3).facts.reopened && !t(3).in_resolved);
    assert_eq!((t(3).support_minutes, t(3).direct_minutes), (3.0, 0.0));
    // T5: escalated and unanswered (32 business hours by the period's end, N = 4).
    assert!(t(4).facts.escalated && t(4).unanswered && !t(4).in_resolved);
    // T6: created before P, resolved in P: D = 10, not counted as a ticket of P.
    assert!(!t(5).created_in_period && t(5).in_resolved);
    assert_eq!(t(5).direct_minutes, 10.0);
}

#[test]
fn the_period_summary_matches_the_hand_computation() {
    let settings = settings();
    let mut builder = SummaryBuilder::new();
    for row in figures() {
        builder.add(&row);
    }
    let s = builder.finish(&settings);
    // Created in P: T1-T5. Resolved(P): T1, T2, T3, T6; peers answered T1, T3, T6.
    assert_eq!((s.tickets, s.resolved, s.peer_resolved), (5, 4, 3));
    assert_eq!(s.peer_resolved_share, Some(0.75));
    // First response, business hours: [0.5, 1, 2, 2] -> median 1.5, p90 rank 4 -> 2.
    assert_eq!(s.first_response_business_hours.median, Some(1.5));
    assert_eq!(s.first_response_business_hours.p90, Some(2.0));
    // ... calendar hours: [0.5, 1, 2, 90] -> median 1.5, p90 90.
    assert_eq!(s.first_response_hours.median, Some(1.5));
    assert_eq!(s.first_response_hours.p90, Some(90.0));
    // First support response: [0.5, 2, 3] -> median 2, p90 rank 3 -> 3.
    assert_eq!(s.first_support_response_business_hours.median, Some(2.0));
    assert_eq!(s.first_support_response_business_hours.p90, Some(3.0));
    // Resolution over Resolved(P): [2, 3, 5, 8.5] -> median 4, p90 8.5;
    // calendar [21, 24.5, 66, 91] -> median 45.25.
    assert_eq!(s.resolution_business_hours.median, Some(4.0));
    assert_eq!(s.resolution_business_hours.p90, Some(8.5));
    assert_eq!(s.resolution_hours.median, Some(45.25));
    // Unanswered: T5 of 5; reopened: T4 of the 4 ever resolved; escalated: T5 of 5.
    assert_eq!(s.unanswered_share, Some(0.2));
    assert_eq!(s.reopen_rate, Some(0.25));
    assert_eq!(s.escalation_rate, Some(0.2));
    // Channel cost: 0 + 7 + 6 + 3 + 0.
    assert_eq!(s.support_minutes, 16.0);
    assert_eq!(s.reuse, 3);
    // D = 15 + 8 + 2 + 10 = 35; U = 30 + 10 = 40 (conservative), 45 + 10 = 55 (expected).
    assert_eq!(s.conservative.direct_minutes, 35.0);
    assert_eq!(s.conservative.reuse_minutes, 40.0);
    assert_eq!(s.expected.reuse_minutes, 55.0);
    // (35 + 40) / 60 = 1.25 h at 40/h = 50; (35 + 55) / 60 = 1.5 h = 60.
    assert_eq!(
        (s.conservative.hours_saved, s.conservative.cost_saved),
        (1.25, 50.0)
    );
    assert_eq!((s.expected.hours_saved, s.expected.cost_saved), (1.5, 60.0));
    // Waiting on peer answers (apart from savings): [2, 3, 5] -> 3.
    assert_eq!(s.peer_answer_wait_business_hours, Some(3.0));
}

#[test]
fn targets_show_the_actual_figure_and_the_trend() {
    let settings = settings()
        .patched(&json!({"targets": {"hours_saved_per_month": 2, "peer_resolved_share": 0.5}}))
        .unwrap();
    let current = Summary {
        expected: Savings {
            hours_saved: 1.4,
            ..Savings::default()
        },
        peer_resolved_share: Some(0.75),
        ..Summary::default()
    };
    let previous = Summary {
        expected: Savings {
            hours_saved: 0.7,
            ..Savings::default()
        },
        peer_resolved_share: Some(0.8),
        ..Summary::default()
    };
    let progress = target_progress(&settings, period(), &current, &previous);
    // 14 days: 1.4 h over 14/30 of a month = 3 h/month, up from 1.5.
    assert_eq!(progress[0].name, "hours_saved_per_month");
    assert!((progress[0].actual.unwrap() - 3.0).abs() < 1e-9);
    assert_eq!((progress[0].met, progress[0].trend), (Some(true), "better"));
    assert_eq!(progress[1].name, "peer_resolved_share");
    assert_eq!((progress[1].met, progress[1].trend), (Some(true), "worse"));
}

#[test]
fn medians_and_p90_follow_their_stated_definitions() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
    assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    let ten: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(p90(&ten), Some(9.0));
    assert_eq!(p90(&[7.0]), Some(7.0));
}

#[test]
fn a_withdrawn_same_here_no_longer_counts_until_it_is_given_again() {
    let asker = AccountId(1);
    let log = |extra: Vec<LogEntry>| {
        let mut log = vec![
            created("2026-12-21T10:00:00Z", asker, "network"),
            accepted("2026-12-21T11:00:00Z", asker, (PEER1, false), 7),
            reuse(K::Reuse, "2026-12-22T09:00:00Z", (PEER2, false)),
            reuse(K::Reuse, "2026-12-22T09:30:00Z", (PEER3, false)),
        ];
        log.extend(extra);
        facts(1, 1, "2026-12-21T10:00:00Z", log).reuse
    };
    assert_eq!(log(Vec::new()), 2);
    let withdrawn = reuse(K::ReuseWithdrawn, "2026-12-22T10:00:00Z", (PEER2, false));
    assert_eq!(log(vec![withdrawn.clone()]), 1);
    let again = reuse(K::Reuse, "2026-12-23T10:00:00Z", (PEER2, false));
    assert_eq!(log(vec![withdrawn, again]), 2);
}

#[test]
fn views_count_each_colleague_once_after_resolution_within_the_window() {
    let asker = AccountId(1);
    let log = vec![
        created("2026-12-21T10:00:00Z", asker, "network"),
        // Before the answer: the thread was still open, no reuse yet.
        entry(K::Viewed, "2026-12-21T10:30:00Z", (PEER3, false)),
        accepted("2026-12-21T11:00:00Z", asker, (PEER1, false), 7),
        entry(K::Viewed, "2026-12-22T09:00:00Z", (PEER2, false)),
        entry(K::Viewed, "2026-12-23T09:00:00Z", (PEER2, false)),
        entry(K::Viewed, "2026-12-22T09:00:00Z", (PEER4, false)),
        entry(K::Viewed, "2026-12-22T09:00:00Z", (asker, false)),
        entry(K::Viewed, "2026-12-22T09:00:00Z", (SUPPORT, true)),
        // 30 days is the window: a view on day 31 is too late.
        entry(K::Viewed, "2027-01-21T12:00:00Z", (PEER3, false)),
    ];
    assert_eq!(facts(1, 1, "2026-12-21T10:00:00Z", log).viewers, 2);
}
