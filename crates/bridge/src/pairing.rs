//! Pairing requests waiting for the user's answer, and the limit on how often one origin asks.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::handler::PairingRequest;
use crate::secret::{self, RandomError};
use crate::tokens::{TokenStore, TokenStoreError};

/// At most this many requests wait for an answer at once, whatever their origins: the app
/// shows each one, so more would only be noise.
const MAX_WAITING: usize = 20;

/// The window of the per-origin rate limit.
const RATE_WINDOW: Duration = Duration::from_secs(60);

/// Why a pairing request was refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AskError {
    #[error("too many pairing requests; wait a minute")]
    TooMany,
    #[error(transparent)]
    Random(#[from] RandomError),
}

/// Why the user's answer could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error("this pairing request has expired or was already answered")]
    NotWaiting,
    #[error(transparent)]
    Tokens(#[from] TokenStoreError),
}

impl AnswerError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            AnswerError::NotWaiting => "pairing_not_waiting",
            AnswerError::Tokens(e) => e.code(),
        }
    }
}

/// Where a pairing request stands, as `GET /pair/{id}` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    Pending,
    /// Carries the token: reported once, then the request is used up.
    Accepted(String),
    Rejected,
    /// No answer in time, or the token was already handed over.
    Expired,
}

enum State {
    Waiting,
    Accepted(String),
    Rejected,
    Delivered,
}

struct Pending {
    origin: String,
    name: String,
    created: Instant,
    state: State,
}

#[derive(Default)]
struct Inner {
    requests: HashMap<String, Pending>,
    attempts: HashMap<String, VecDeque<Instant>>,
}

pub(crate) struct Pairings {
    ttl: Duration,
    per_minute: usize,
    inner: Mutex<Inner>,
    /// Wakes long-polling `GET /pair/{id}` when an answer comes.
    pub(crate) changed: tokio::sync::Notify,
}

impl Pairings {
    pub(crate) fn new(ttl: Duration, per_minute: usize) -> Self {
        Pairings {
            ttl,
            per_minute,
            inner: Mutex::new(Inner::default()),
            changed: tokio::sync::Notify::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Opens a request for `origin`, unless it asked too often or too many are waiting.
    pub(crate) fn ask(&self, origin: &str, name: &str) -> Result<PairingRequest, AskError> {
        let now = Instant::now();
        let mut inner = self.lock();
        self.forget_old(&mut inner, now);
        let attempts = inner.attempts.entry(origin.to_string()).or_default();
        while attempts
            .front()
            .is_some_and(|t| now.duration_since(*t) >= RATE_WINDOW)
        {
            attempts.pop_front();
        }
        if attempts.len() >= self.per_minute {
            return Err(AskError::TooMany);
        }
        attempts.push_back(now);
        let waiting = inner
            .requests
            .values()
            .filter(|p| matches!(p.state, State::Waiting) && !self.expired(p, now))
            .count();
        if waiting >= MAX_WAITING {
            return Err(AskError::TooMany);
        }
        let request = PairingRequest {
            id: secret::new_id()?,
            origin: origin.to_string(),
            code: secret::new_code()?,
            name: name.to_string(),
        };
        let pending = Pending {
            origin: origin.to_string(),
            name: name.to_string(),
            created: now,
            state: State::Waiting,
        };
        inner.requests.insert(request.id.clone(), pending);
        Ok(request)
    }

    /// Applies the user's answer; an accepted request gets a token, saved (hashed) at once.
    pub(crate) fn answer(
        &self,
        id: &str,
        accepted: bool,
        tokens: &TokenStore,
    ) -> Result<(), AnswerError> {
        let now = Instant::now();
        let mut inner = self.lock();
        let pending = inner
            .requests
            .get_mut(id)
            .filter(|p| matches!(p.state, State::Waiting) && now < p.created + self.ttl)
            .ok_or(AnswerError::NotWaiting)?;
        pending.state = if accepted {
            State::Accepted(tokens.add(&pending.origin, &pending.name)?)
        } else {
            State::Rejected
        };
        drop(inner);
        self.changed.notify_waiters();
        Ok(())
    }

    /// Where request `id` stands; an accepted one hands its token over (once).
    /// `None` when `origin` did not make request `id`: one origin cannot see another's.
    pub(crate) fn status(&self, id: &str, origin: &str) -> Option<Status> {
        let now = Instant::now();
        let mut inner = self.lock();
        let expired_now = {
            let pending = inner.requests.get(id).filter(|p| p.origin == origin)?;
            self.expired(pending, now)
        };
        let pending = inner.requests.get_mut(id)?;
        Some(match &pending.state {
            State::Waiting if expired_now => Status::Expired,
            State::Waiting => Status::Pending,
            State::Rejected => Status::Rejected,
            State::Delivered => Status::Expired,
            State::Accepted(token) => {
                let token = token.clone();
                pending.state = State::Delivered;
                Status::Accepted(token)
            }
        })
    }

    fn expired(&self, pending: &Pending, now: Instant) -> bool {
        now.duration_since(pending.created) >= self.ttl
    }

    /// Drops requests long past their time (twice the time to answer, so that a late poll
    /// still hears "expired"), and empty rate-limit records.
    fn forget_old(&self, inner: &mut Inner, now: Instant) {
        let keep = self.ttl * 2;
        inner
            .requests
            .retain(|_, p| now.duration_since(p.created) < keep);
        inner.attempts.retain(|_, a| {
            a.back()
                .is_some_and(|t| now.duration_since(*t) < RATE_WINDOW)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "chrome-extension://abc";

    #[test]
    fn an_accepted_request_hands_its_token_over_once() {
        let pairings = Pairings::new(Duration::from_secs(60), 5);
        let tokens = TokenStore::open(None).unwrap();
        let request = pairings.ask(ORIGIN, "Clipbook").unwrap();
        assert_eq!(pairings.status(&request.id, ORIGIN), Some(Status::Pending));
        assert_eq!(
            pairings.status(&request.id, "chrome-extension://other"),
            None
        );
        pairings.answer(&request.id, true, &tokens).unwrap();
        let Some(Status::Accepted(token)) = pairings.status(&request.id, ORIGIN) else {
            panic!("an accepted request reports its token");
        };
        assert!(tokens.check(ORIGIN, &token).unwrap());
        assert_eq!(pairings.status(&request.id, ORIGIN), Some(Status::Expired));
        assert!(matches!(
            pairings.answer(&request.id, true, &tokens),
            Err(AnswerError::NotWaiting)
        ));
    }

    #[test]
    fn a_request_left_unanswered_expires_and_cannot_be_accepted() {
        let pairings = Pairings::new(Duration::from_millis(0), 5);
        let tokens = TokenStore::open(None).unwrap();
        let request = pairings.ask(ORIGIN, "Clipbook").unwrap();
        assert_eq!(pairings.status(&request.id, ORIGIN), Some(Status::Expired));
        assert!(pairings.answer(&request.id, true, &tokens).is_err());
        assert!(tokens.list().unwrap().is_empty());
    }

    #[test]
    fn one_origin_may_ask_only_so_often() {
        let pairings = Pairings::new(Duration::from_secs(60), 2);
        pairings.ask(ORIGIN, "a").unwrap();
        pairings.ask(ORIGIN, "a").unwrap();
        assert!(matches!(pairings.ask(ORIGIN, "a"), Err(AskError::TooMany)));
        assert!(
            pairings.ask("moz-extension://other", "b").is_ok(),
            "the limit is per origin"
        );
    }
}
