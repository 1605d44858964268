//! Months of help-desk tickets: questions tagged for the help desk or posted in
//! the help-desk community, answered by peers or by support, accepted,
//! duplicated, escalated, reopened or still open; with triage, logged minutes,
//! "same here" reuses and views after resolution. Each ticket is planned as
//! its posts plus its event log, exactly as the normal write paths log them;
//! the ticket's cached columns are folded from that log when it is written.

use super::plan::{Interaction, Notice, Plan, Touch, World, soon};
use chrono::{DateTime, Duration, Utc};
use hubbub_core::helpdesk::calendar::BusinessCalendar;
use hubbub_core::helpdesk::tags::{has_helpdesk_tag, mapped_category};
use hubbub_core::helpdesk::ticket::{Category, EventKind};
use hubbub_core::reaction::{NotificationKind, Reaction};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// One kind of question: its topic, the question, a peer's answer, support's answer.
struct Scenario {
    topic: Option<&'static str>,
    question: &'static str,
    peer: &'static str,
    support: &'static str,
}

const SCENARIOS: [Scenario; 12] = [
    Scenario {
        topic: Some("vpn"),
        question: "VPN keeps dropping every few minutes since this morning. Anyone else?",
        peer: "Switch the client to the TCP profile under Settings > Connection; that fixed it for me.",
        support: "We pushed a fix to the VPN gateway; reconnect and it should hold. Tell us if not.",
    },
    Scenario {
        topic: Some("password"),
        question: "Locked out after the password change: the portal says my account is disabled.",
        peer: "Wait 15 minutes and use the self-service reset, it unlocks you.",
        support: "Unlocked your account; please set a new password at the next sign-in.",
    },
    Scenario {
        topic: Some("laptop"),
        question: "My laptop battery drains from 100% to 20% in two hours. Is that normal?",
        peer: "Check the battery report: the sync client was eating mine. Pausing it helped.",
        support: "That battery is past its cycles; a replacement is on its way to your desk.",
    },
    Scenario {
        topic: Some("excel"),
        question: "Excel crashes when I open the shared finance workbook.",
        peer: "Open it in safe mode (hold Ctrl) and disable the old add-in; worked for me.",
        support: "The add-in was outdated; we updated it on all machines. Please restart Excel.",
    },
    Scenario {
        topic: Some("wifi"),
        question: "Wi-Fi in the 3rd floor meeting rooms is unusable.",
        peer: "Use the Corp-5G network instead of Corp, it is much better up there.",
        support: "An access point had failed; it is replaced now. Thanks for reporting!",
    },
    Scenario {
        topic: Some("printer"),
        question: "The printer near the kitchen only prints blank pages.",
        peer: "It needs the new driver from the software center; the blank pages stop after that.",
        support: "Replaced the toner and updated the driver. It prints again.",
    },
    Scenario {
        topic: Some("howto"),
        question: "How do I share a calendar with my whole team?",
        peer: "Right-click the calendar, Share, pick the team group. Took me a minute.",
        support: "Calendar > Share > choose the group and set 'can view'. The how-to is in the wiki.",
    },
    Scenario {
        topic: Some("access"),
        question: "I need access to the marketing drive for a project. Who grants it?",
        peer: "Ask your manager to add you to the Marketing-Share group, that is how I got in.",
        support: "Added you to the group; it can take an hour to show up.",
    },
    Scenario {
        topic: Some("software"),
        question: "How do I get the design tool installed? It is not in the software center.",
        peer: "Request it through the catalog; approval took a day for me.",
        support: "Approved and pushed to your machine; it installs at the next restart.",
    },
    Scenario {
        topic: None,
        question: "Where do I send a broken headset?",
        peer: "Drop it at the IT desk on floor 2, they swap it on the spot.",
        support: "Bring it to the IT desk on floor 2, or we send you a new one.",
    },
    Scenario {
        topic: Some("network"),
        question: "Video calls stutter from the Lisbon office every afternoon.",
        peer: "It is the backup job at 14:00; use the wired dock for calls until it is moved.",
        support: "We moved the backup window to the night. Calls should be smooth now.",
    },
    Scenario {
        topic: Some("password"),
        question: "The MFA app stopped working on my new phone.",
        peer: "Use 'transfer accounts' in the authenticator app on the old phone, it moves everything.",
        support: "Reset your MFA registration; enrol again at the next sign-in.",
    },
];

const FOLLOW_UPS: [&str; 4] = [
    "Same here, following.",
    "Did you try restarting? Sometimes that is enough.",
    "No idea, but I have the same problem.",
    "+1, it happens to me too.",
];

/// A value an event carries, some of them ids known only once posts are minted.
pub(super) enum Value {
    None,
    Text(String),
    /// A person's account id.
    Person(usize),
    /// A ticket's id (by index into the plan's tickets).
    Ticket(usize),
}

/// One entry of a ticket's log, before ids exist.
pub(super) struct PlanEvent {
    pub(super) kind: EventKind,
    pub(super) at: DateTime<Utc>,
    pub(super) actor: usize,
    pub(super) subject: Option<usize>,
    /// The draft involved.
    pub(super) status: Option<usize>,
    pub(super) minutes: Option<i64>,
    pub(super) value: Value,
}

/// A ticket: its starter draft and its log (in the order planned; sorted by
/// time when written).
pub(super) struct TicketPlan {
    pub(super) starter: usize,
    pub(super) asker: usize,
    pub(super) source: &'static str,
    pub(super) events: Vec<PlanEvent>,
    /// When its standing answer was accepted, for duplicates to point at.
    accepted_at: Option<DateTime<Utc>>,
    category: Category,
}

/// How a ticket goes.
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Peer,
    Support,
    Duplicate,
    Escalated,
    Reopened,
    Open,
}

/// Plans the tickets of the whole period: about one a week per twelve people
/// (at least three a week), mostly in business hours.
pub(super) fn tickets(world: &World<'_>, plan: &mut Plan, rng: &mut StdRng, start: DateTime<Utc>) {
    let span = world.now - start;
    let weeks = span.num_days() as f64 / 7.0;
    let per_week = (world.people.len() as f64 / 12.0).max(3.0);
    let count = (weeks * per_week).round() as usize;
    let calendar = world.settings.business_calendar();
    // Each ticket draws from a generator of its own: how many draws one takes
    // depends on the calendar and on "now", and that must not change the others.
    let base: u64 = rng.random();
    let mut times: Vec<(DateTime<Utc>, usize, StdRng)> = (0..count)
        .map(|index| {
            let mut own = StdRng::seed_from_u64(base.wrapping_add(index as u64));
            // Four in five questions are asked in working hours.
            let mut at = start;
            for _ in 0..20 {
                at = start + Duration::seconds(own.random_range(0..span.num_seconds().max(1)));
                let working = calendar.business_hours(at, at + Duration::minutes(1)) > 0.0;
                if working || own.random_bool(0.2) {
                    break;
                }
            }
            (at, index, own)
        })
        .collect();
    times.sort_by_key(|(at, index, _)| (*at, *index));
    for (created, _, mut own) in times {
        plan_ticket(world, plan, &mut own, created);
    }
}

/// Calendar time after `from` by which `hours` working hours have passed.
fn after_business_hours(
    calendar: &BusinessCalendar,
    from: DateTime<Utc>,
    hours: f64,
) -> DateTime<Utc> {
    // Tolerance for the sums of fractions of an hour.
    const EPSILON: f64 = 1e-9;
    let mut at = from;
    let mut worked = 0.0;
    // An hour at a time while that does not overshoot (nights and weekends go
    // quickly), else five minutes; the steps are bounded, should the calendar
    // have no working time at all.
    for _ in 0..(30 * 24 * 12) {
        if worked + EPSILON >= hours {
            break;
        }
        let hour = calendar.business_hours(at, at + Duration::hours(1));
        if hour <= hours - worked + EPSILON {
            worked += hour;
            at += Duration::hours(1);
        } else {
            worked += calendar.business_hours(at, at + Duration::minutes(5));
            at += Duration::minutes(5);
        }
    }
    at
}

/// How long support takes: a few working hours, sometimes a day or two.
fn support_delay(world: &World<'_>, rng: &mut StdRng, from: DateTime<Utc>) -> DateTime<Utc> {
    let u: f64 = rng.random();
    let hours = 0.2 + u * u * 10.0;
    after_business_hours(world.settings.business_calendar(), from, hours)
        + Duration::seconds(rng.random_range(0..300))
}

/// How long a peer takes: often within the hour, at any time of day.
fn peer_delay(world: &World<'_>, rng: &mut StdRng, from: DateTime<Utc>) -> DateTime<Utc> {
    if rng.random_bool(0.6) {
        let u: f64 = rng.random();
        after_business_hours(world.settings.business_calendar(), from, 0.05 + u * u * 3.0)
            + Duration::seconds(rng.random_range(0..300))
    } else {
        from + soon(rng, 6.0 * 60.0)
    }
}

/// Builds one ticket's thread and log; nothing is planned after `world.now`.
struct Builder<'w, 'a> {
    world: &'w World<'a>,
    ticket: usize,
    starter: usize,
    asker: usize,
}

impl Builder<'_, '_> {
    fn event(&self, plan: &mut Plan, event: PlanEvent) -> bool {
        if event.at > self.world.now {
            return false;
        }
        plan.tickets[self.ticket].events.push(event);
        true
    }

    fn log(
        &self,
        plan: &mut Plan,
        kind: EventKind,
        at: DateTime<Utc>,
        actor: usize,
        value: Value,
    ) -> bool {
        self.event(
            plan,
            PlanEvent {
                kind,
                at,
                actor,
                subject: None,
                status: None,
                minutes: None,
                value,
            },
        )
    }

    /// A reply in the thread, logged on the ticket; `None` if it would be in the future.
    fn reply(
        &self,
        plan: &mut Plan,
        at: DateTime<Utc>,
        author: usize,
        text: &str,
        parent: Option<usize>,
    ) -> Option<usize> {
        if at > self.world.now {
            return None;
        }
        let draft = plan.draft(
            at,
            author,
            text.to_owned(),
            Some(parent.unwrap_or(self.starter)),
            None,
        );
        self.event(
            plan,
            PlanEvent {
                kind: EventKind::Reply,
                at,
                actor: author,
                subject: None,
                status: Some(draft),
                minutes: None,
                value: Value::None,
            },
        );
        Some(draft)
    }

    /// Support takes the ticket: assigns it to `who`, sometimes sets a
    /// priority, and marks it in progress.
    fn triage(&self, plan: &mut Plan, rng: &mut StdRng, at: DateTime<Utc>, who: usize) {
        let assigned = self.event(
            plan,
            PlanEvent {
                kind: EventKind::Assigned,
                at,
                actor: who,
                subject: Some(who),
                status: None,
                minutes: None,
                value: Value::Person(who),
            },
        );
        if !assigned {
            return;
        }
        if rng.random_bool(0.3) {
            let priority = ["low", "high", "high", "urgent"]
                .choose(rng)
                .copied()
                .unwrap_or("high");
            self.log(
                plan,
                EventKind::Priority,
                at,
                who,
                Value::Text(priority.to_owned()),
            );
        }
        self.log(
            plan,
            EventKind::State,
            at,
            who,
            Value::Text("in_progress".to_owned()),
        );
    }

    fn minutes(&self, plan: &mut Plan, rng: &mut StdRng, at: DateTime<Utc>, who: usize) {
        self.event(
            plan,
            PlanEvent {
                kind: EventKind::Minutes,
                at,
                actor: who,
                subject: None,
                status: None,
                minutes: Some(rng.random_range(5..=40)),
                value: Value::None,
            },
        );
    }

    /// `by` accepts `answer`, some time after it was posted; notifies as
    /// `set_accepted_answer` does. Returns when, if it happened.
    fn accept(
        &self,
        plan: &mut Plan,
        rng: &mut StdRng,
        answer: usize,
        by: usize,
    ) -> Option<DateTime<Utc>> {
        let at = plan.drafts[answer].at + soon(rng, 30.0 * 60.0);
        let answerer = plan.drafts[answer].author;
        let accepted = self.event(
            plan,
            PlanEvent {
                kind: EventKind::Accepted,
                at,
                actor: by,
                subject: Some(answerer),
                status: Some(answer),
                minutes: None,
                value: Value::None,
            },
        );
        if !accepted {
            return None;
        }
        let mut told = vec![answerer];
        if self.asker != answerer {
            told.push(self.asker);
        }
        for recipient in told.into_iter().filter(|r| *r != by) {
            plan.notices.push(Notice {
                at,
                recipient,
                from: by,
                kind: NotificationKind::AnswerAccepted,
                draft: answer,
            });
        }
        plan.tickets[self.ticket].accepted_at = Some(at);
        Some(at)
    }

    /// "Same here" on the starter: a reaction, and a reuse in the log.
    fn same_here(&self, plan: &mut Plan, at: DateTime<Utc>, who: usize) {
        let logged = self.event(
            plan,
            PlanEvent {
                kind: EventKind::Reuse,
                at,
                actor: who,
                subject: Some(who),
                status: Some(self.starter),
                minutes: None,
                value: Value::None,
            },
        );
        if logged {
            plan.interactions.push(Interaction {
                at,
                who,
                draft: self.starter,
                touch: Touch::React(Reaction::SameHere),
            });
        }
    }

    /// After the answer is accepted: the asker's thanks, others saying "same
    /// here" within the reuse window, and people opening the resolved thread.
    fn aftermath(
        &self,
        plan: &mut Plan,
        rng: &mut StdRng,
        accepted: DateTime<Utc>,
        answer: usize,
        reacted: &mut Vec<usize>,
    ) {
        if rng.random_bool(0.4) {
            let at = accepted + soon(rng, 30.0);
            self.reply(plan, at, self.asker, "Thanks, that worked!", Some(answer));
        }
        if rng.random_bool(0.5) {
            let at = accepted + Duration::seconds(rng.random_range(1..120));
            if at <= self.world.now {
                plan.interactions.push(Interaction {
                    at,
                    who: self.asker,
                    draft: answer,
                    touch: Touch::React(Reaction::Thanks),
                });
            }
        }
        let reusers = [0, 0, 0, 1, 1, 1, 2, 2, 3, 5]
            .choose(rng)
            .copied()
            .unwrap_or(0);
        let window = self.world.settings.reuse_window_days.clamp(1, 3650) as f64;
        for _ in 0..reusers {
            let who = self.world.peer(rng, reacted);
            if reacted.contains(&who) {
                continue;
            }
            let u: f64 = rng.random();
            let at = accepted
                + Duration::minutes(10)
                + Duration::seconds((u * u * (window - 1.0) * 86_400.0) as i64);
            if at <= self.world.now {
                reacted.push(who);
                self.same_here(plan, at, who);
            }
        }
        let mut viewers = vec![self.asker];
        for _ in 0..rng.random_range(1..=12) {
            let who = rng.random_range(0..self.world.people.len());
            if viewers.contains(&who) {
                continue;
            }
            viewers.push(who);
            let u: f64 = rng.random();
            let at = accepted + Duration::seconds(60 + (u * u * 20.0 * 86_400.0) as i64);
            self.log(plan, EventKind::Viewed, at, who, Value::None);
        }
    }
}

fn plan_ticket(world: &World<'_>, plan: &mut Plan, rng: &mut StdRng, created: DateTime<Utc>) {
    let settings = world.settings;
    let asker = world.peer(rng, &[]);
    let scenario = SCENARIOS.choose(rng).unwrap_or(&SCENARIOS[0]);
    let desk = world.communities.iter().position(|c| c.helpdesk);
    let in_desk = desk.is_some() && rng.random_bool(0.5);
    let tag = settings
        .helpdesk_tags
        .first()
        .map_or("helpdesk", String::as_str);
    let mut text = scenario.question.to_owned();
    if !in_desk || rng.random_bool(0.4) {
        text.push_str(&format!(" #{tag}"));
    }
    if let Some(topic) = scenario.topic {
        text.push_str(&format!(" #{topic}"));
    }
    // The same tests `on_status_created` applies.
    let source = if has_helpdesk_tag(&text, &settings.helpdesk_tags) {
        "tag"
    } else {
        "community"
    };
    let category = mapped_category(&text, settings).unwrap_or(Category::Other);
    let community = if in_desk { desk } else { None };
    let starter = plan.draft(created, asker, text, None, community);
    plan.drafts[starter].question = true;
    plan.drafts[starter].ticket = true;
    let ticket = plan.tickets.len();
    plan.tickets.push(TicketPlan {
        starter,
        asker,
        source,
        events: vec![PlanEvent {
            kind: EventKind::Created,
            at: created,
            actor: asker,
            subject: Some(asker),
            status: Some(starter),
            minutes: None,
            value: Value::Text(category.as_str().to_owned()),
        }],
        accepted_at: None,
        category,
    });
    let b = Builder {
        world,
        ticket,
        starter,
        asker,
    };
    let roll: f64 = rng.random();
    let mut outcome = match roll {
        r if r < 0.40 => Outcome::Peer,
        r if r < 0.75 => Outcome::Support,
        r if r < 0.81 => Outcome::Duplicate,
        r if r < 0.85 => Outcome::Escalated,
        r if r < 0.89 => Outcome::Reopened,
        _ => Outcome::Open,
    };
    // A duplicate points at an answer given in the reuse window before it.
    let window = Duration::days(settings.reuse_window_days.clamp(1, 3650) - 2);
    let original = (0..ticket).rev().find(|t| {
        let other = &plan.tickets[*t];
        other.category == category
            && other
                .accepted_at
                .is_some_and(|at| at < created && created - at < window)
    });
    if outcome == Outcome::Duplicate && original.is_none() {
        outcome = Outcome::Support;
    }
    let support = world.support(rng);
    let mut reacted = vec![asker];
    if rng.random_bool(0.2) {
        // Someone with the same problem before any answer (not a reuse yet).
        let who = world.peer(rng, &reacted);
        let at = created + soon(rng, 8.0 * 60.0);
        if !reacted.contains(&who) && at <= world.now {
            reacted.push(who);
            b.same_here(plan, at, who);
        }
    }
    match outcome {
        Outcome::Peer => {
            if rng.random_bool(0.3) {
                let who = world.peer(rng, &[asker]);
                let at = peer_delay(world, rng, created);
                let text = FOLLOW_UPS.choose(rng).copied().unwrap_or("+1");
                b.reply(plan, at, who, text, None);
            }
            let answerer = world.peer(rng, &[asker]);
            let at = peer_delay(world, rng, created);
            let Some(answer) = b.reply(plan, at, answerer, scenario.peer, None) else {
                return;
            };
            let Some(accepted) = b.accept(plan, rng, answer, asker) else {
                return;
            };
            // Support may have looked in before the asker accepted.
            let looked = support_delay(world, rng, created);
            if looked < accepted && rng.random_bool(0.5) {
                b.triage(plan, rng, looked, support);
                if rng.random_bool(0.4) {
                    let at = looked.max(plan.drafts[answer].at) + Duration::minutes(2);
                    if at < accepted {
                        b.reply(
                            plan,
                            at,
                            support,
                            "Confirmed, that is the right fix.",
                            Some(answer),
                        );
                    }
                }
            }
            b.aftermath(plan, rng, accepted, answer, &mut reacted);
        }
        Outcome::Support | Outcome::Reopened => {
            if rng.random_bool(0.35) {
                let who = world.peer(rng, &[asker]);
                let at = peer_delay(world, rng, created);
                let text = FOLLOW_UPS.choose(rng).copied().unwrap_or("+1");
                b.reply(plan, at, who, text, None);
            }
            let answered = support_delay(world, rng, created);
            let triaged = (answered - Duration::minutes(rng.random_range(1..30)))
                .max(created + Duration::minutes(1));
            b.triage(plan, rng, triaged, support);
            let Some(answer) = b.reply(plan, answered, support, scenario.support, None) else {
                return;
            };
            if rng.random_bool(0.65) {
                b.minutes(plan, rng, answered + Duration::minutes(1), support);
            }
            let by = if rng.random_bool(0.8) { asker } else { support };
            let Some(accepted) = b.accept(plan, rng, answer, by) else {
                return;
            };
            if outcome == Outcome::Support {
                b.aftermath(plan, rng, accepted, answer, &mut reacted);
                return;
            }
            // Back within the reopen window: support answers again.
            let reopened = accepted + Duration::hours(rng.random_range(4..96));
            if !b.log(
                plan,
                EventKind::Reopened,
                reopened,
                asker,
                Value::Text("open".to_owned()),
            ) {
                return;
            }
            let again = reopened + Duration::minutes(1);
            b.reply(
                plan,
                again,
                asker,
                "It is back again since this morning.",
                Some(answer),
            );
            let answered = support_delay(world, rng, again);
            let Some(answer) = b.reply(
                plan,
                answered,
                support,
                "Found the real cause this time and fixed it for good.",
                None,
            ) else {
                return;
            };
            b.minutes(plan, rng, answered + Duration::minutes(1), support);
            if let Some(accepted) = b.accept(plan, rng, answer, asker) {
                b.aftermath(plan, rng, accepted, answer, &mut reacted);
            }
        }
        Outcome::Duplicate => {
            let Some(original) = original else { return };
            let answered = support_delay(world, rng, created);
            b.event(
                plan,
                PlanEvent {
                    kind: EventKind::Assigned,
                    at: answered - Duration::minutes(1),
                    actor: support,
                    subject: Some(support),
                    status: None,
                    minutes: None,
                    value: Value::Person(support),
                },
            );
            if b.reply(
                plan,
                answered,
                support,
                "Same issue as an earlier thread, and the answer there works. Closing this one as a duplicate.",
                None,
            )
            .is_none()
            {
                return;
            }
            let marked = answered + Duration::minutes(1);
            if b.log(
                plan,
                EventKind::DuplicateOf,
                marked,
                support,
                Value::Ticket(original),
            ) {
                plan.tickets[original].events.push(PlanEvent {
                    kind: EventKind::DuplicateLinked,
                    at: marked,
                    actor: support,
                    subject: Some(asker),
                    status: None,
                    minutes: None,
                    value: Value::Ticket(ticket),
                });
            }
        }
        Outcome::Escalated => {
            let answered = support_delay(world, rng, created);
            let triaged = (answered - Duration::minutes(rng.random_range(1..30)))
                .max(created + Duration::minutes(1));
            b.triage(plan, rng, triaged, support);
            if b.reply(
                plan,
                answered,
                support,
                "This needs the vendor; I have opened a case with them and will keep you posted.",
                None,
            )
            .is_none()
            {
                return;
            }
            b.minutes(plan, rng, answered + Duration::minutes(1), support);
            let closed = answered + Duration::minutes(rng.random_range(10..120));
            let reference = format!("VENDOR-{}", 10_000 + plan.tickets.len());
            if b.log(
                plan,
                EventKind::Escalated,
                closed,
                support,
                Value::Text(reference),
            ) {
                b.log(
                    plan,
                    EventKind::State,
                    closed,
                    support,
                    Value::Text("closed".to_owned()),
                );
            }
        }
        Outcome::Open => match rng.random_range(0..3) {
            // Nobody has answered yet.
            0 => {}
            // A peer suggested something; the asker has not confirmed.
            1 => {
                let who = world.peer(rng, &[asker]);
                let at = peer_delay(world, rng, created);
                b.reply(plan, at, who, scenario.peer, None);
            }
            // Support asked for details and waits for the asker.
            _ => {
                let answered = support_delay(world, rng, created);
                let triaged = (answered - Duration::minutes(5)).max(created + Duration::minutes(1));
                b.triage(plan, rng, triaged, support);
                if b.reply(
                    plan,
                    answered,
                    support,
                    "Can you send a screenshot of the error?",
                    None,
                )
                .is_some()
                {
                    b.log(
                        plan,
                        EventKind::State,
                        answered + Duration::minutes(1),
                        support,
                        Value::Text("waiting_on_asker".to_owned()),
                    );
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn working_hours_run_over_the_weekend_on_the_default_calendar() {
        let calendar = BusinessCalendar::default();
        // Friday 16:00 plus two working hours is Monday 10:00.
        let answered = after_business_hours(&calendar, at("2026-11-20T16:00:00Z"), 2.0);
        assert_eq!(answered, at("2026-11-23T10:00:00Z"));
        // Asked on Saturday night, half an hour of work is done Monday 09:30.
        let answered = after_business_hours(&calendar, at("2026-11-21T22:00:00Z"), 0.5);
        assert_eq!(answered, at("2026-11-23T09:30:00Z"));
    }
}
