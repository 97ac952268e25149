//! What a simulation produces: the daily state series, the event log, each note's
//! ledger and contractual schedule, and the totals. Reports only read these.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::note::{Ledger, Payment};
use crate::money::Shares;
use crate::terms::NoteTerms;

/// One row per trading day in [start, end] (daily.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct DayRow {
    pub date: NaiveDate,
    pub close: Decimal,
    pub vwap: Decimal,
    pub volume: Decimal,
    pub bid: Decimal,
    /// The price notes would convert at; `None` until the look-backs have history.
    pub conversion_price: Option<Decimal>,
    pub shares_converted: Shares,
    pub amount_converted: Decimal,
    pub holder_sold: Shares,
    pub holder_proceeds: Decimal,
    pub holder_shares: Shares,
    pub outstanding: Shares,
    pub holder_pct: Decimal,
    pub issued_total: Shares,
    pub dilution_pct: Decimal,
    pub principal_outstanding: Decimal,
    pub accrued_interest: Decimal,
    pub cash_paid: Decimal,
    /// authorized − outstanding − reserved; negative when authorized was lowered.
    pub headroom: i128,
    pub authorized: Shares,
    /// Principal outstanding per note, indexed as `Simulation::notes`.
    pub note_principal: Vec<Decimal>,
    /// Cumulative amount converted (principal + interest).
    pub converted_total: Decimal,
}

/// An event's kind, with what its `detail` needs.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Issue,
    TrancheSkipped {
        min: Decimal,
        /// The average seen; `None` when the history was too short.
        average: Option<Decimal>,
    },
    ParFloor {
        computed: Decimal,
    },
    Installment(Payment),
    Maturity(Payment),
    Rounding,
    Conversion {
        interest: Decimal,
        principal: Decimal,
    },
    CapBlocked {
        outstanding: Shares,
        held: Shares,
    },
    Shortfall {
        wanted: Shares,
        headroom: i128,
    },
    Sale,
    Split {
        ratio: u64,
        adjust_prices: bool,
        post_split_factor: Decimal,
    },
    Authorize {
        previous: Shares,
    },
    BidDeficiency {
        deadline: NaiveDate,
    },
    BidCompliance,
}

impl EventKind {
    /// The name in events.csv.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Issue => "issue",
            EventKind::TrancheSkipped { .. } => "tranche_skipped",
            EventKind::ParFloor { .. } => "par_floor",
            EventKind::Installment(_) => "installment",
            EventKind::Maturity(_) => "maturity",
            EventKind::Rounding => "rounding",
            EventKind::Conversion { .. } => "conversion",
            EventKind::CapBlocked { .. } => "cap_blocked",
            EventKind::Shortfall { .. } => "shortfall",
            EventKind::Sale => "sale",
            EventKind::Split { .. } => "split",
            EventKind::Authorize { .. } => "authorize",
            EventKind::BidDeficiency { .. } => "bid_deficiency",
            EventKind::BidCompliance => "bid_compliance",
        }
    }
}

/// One line of events.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub date: NaiveDate,
    pub kind: EventKind,
    /// Index into `Simulation::notes`.
    pub note: Option<usize>,
    pub amount: Option<Decimal>,
    pub shares: Option<i128>,
    pub price: Option<Decimal>,
}

/// A note that exists in the run (issued), with its final ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteRecord {
    pub terms: NoteTerms,
    /// From `[[tranches]]` rather than `[[notes]]`.
    pub from_tranche: bool,
    /// Whether it was issued (a skipped tranche was not).
    pub issued: bool,
    pub ledger: Ledger,
    pub principal_outstanding: Decimal,
    /// Interest accrued and unpaid at `end`, including what has run since the
    /// note's last event.
    pub interest_outstanding: Decimal,
    pub closed_on: Option<NaiveDate>,
    /// The contractual schedule, as if nothing converted.
    pub schedule: Vec<(NaiveDate, Payment)>,
}

/// Whole-run totals (summary.json).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Totals {
    pub principal_issued: Decimal,
    pub principal_paid_cash: Decimal,
    pub principal_converted: Decimal,
    pub principal_outstanding: Decimal,
    pub interest_accrued: Decimal,
    pub interest_paid_cash: Decimal,
    pub interest_converted: Decimal,
    pub interest_outstanding: Decimal,
    pub interest_rounding: Decimal,
    pub cash_paid: Decimal,
    pub amount_converted: Decimal,
    pub shares_issued: Shares,
    pub outstanding_start: Shares,
    pub outstanding_end: Shares,
    pub holder_shares_end: Shares,
    pub authorized_end: Shares,
    pub headroom_end: i128,
    pub peak_holder_pct: Decimal,
    pub peak_holder_pct_date: Option<NaiveDate>,
    pub holder_shares_sold: Shares,
    pub holder_sale_proceeds: Decimal,
    pub tranche_ids_closed: Vec<String>,
    pub tranche_ids_skipped: Vec<String>,
    pub last_conversion_date: Option<NaiveDate>,
    pub notes_closed_date: Option<NaiveDate>,
    pub trading_days: usize,
    /// Trading days on which a conversion was cut to the authorized headroom.
    pub shortfall_days: usize,
}

/// A finished run.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub notes: Vec<NoteRecord>,
    pub days: Vec<DayRow>,
    pub events: Vec<Event>,
    pub totals: Totals,
}
