//! Scenario files: TOML (`raw`) → validated `Scenario`. Every check names the file
//! and the key; all problems found are reported together, not only the first.
//! Paths inside a scenario are relative to the scenario file.

mod holders;
pub mod lint;
pub mod raw;
pub mod tables;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::daycount::DayCount;
use crate::error::InputError;
use crate::terms::*;
use raw::*;

/// A validated scenario: the terms, the company, the holder and the window.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The price path, resolved against the scenario file's folder.
    pub prices: Option<PathBuf>,
    pub company: Company,
    pub holder: Holder,
    pub conversion: ConversionTerms,
    pub notes: Vec<NoteTerms>,
    pub tranches: Vec<Tranche>,
    pub actions: Vec<Action>,
    pub holders: Vec<NamedHolder>,
    /// `[split]` as written (validated at load; the `split` command reads it).
    pub split: Option<tables::RawSplitTable>,
    /// `[simulate]` as written (the `simulate` command validates it).
    pub simulate: Option<tables::RawSimulateTable>,
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, InputError> {
        if path.is_dir() {
            return Err(InputError::Usage(format!(
                "{}: is a directory; expected a scenario .toml file",
                path.display()
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|source| InputError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Scenario::parse(&text, path)
    }

    /// Parses and validates scenario text; `path` names it in errors and anchors
    /// relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Scenario, InputError> {
        let raw: RawScenario =
            toml::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| InputError::Toml {
                path: path.to_path_buf(),
                message: e.to_string().trim_end().to_string(),
            })?;
        compile(raw, path)
    }

    /// The beneficial-ownership snapshot (MODEL.md §8): `[split.ownership]` with its
    /// defaults (as of `start`, `company.outstanding`, 60 days), validated at load.
    pub fn ownership(&self) -> OwnershipTerms {
        let mut p = Problems {
            path: PathBuf::new(),
            found: Vec::new(),
        };
        holders::ownership(
            &mut p,
            self.split.as_ref().and_then(|t| t.ownership.as_ref()),
            self.company.outstanding,
            self.holder.shares,
            &self.holders,
            self.start,
        )
    }

    /// Every note that can exist: the scenario's notes, then every tranche as if it
    /// closed (what `amortize` lists).
    pub fn all_notes(&self) -> Vec<NoteTerms> {
        self.notes
            .iter()
            .cloned()
            .chain(self.tranches.iter().map(Tranche::note))
            .collect()
    }
}

/// The largest principal (10^15 dollars), rate (10,000% a year), price (10^9
/// dollars), share count (10^15), split ratio (10^6) and post-split factor (100)
/// accepted: far beyond any real instrument, and small enough that every product
/// the engine forms stays inside the 28-digit decimal range.
pub const MAX_PRINCIPAL: Decimal = Decimal::from_parts(0xA4C6_8000, 0x38D7E, 0, false, 0);
pub const MAX_RATE: Decimal = Decimal::from_parts(100, 0, 0, false, 0);
pub const MAX_PRICE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
pub const MAX_SHARES: u64 = 1_000_000_000_000_000;
pub const MAX_SPLIT_RATIO: u64 = 1_000_000;

/// Collects problems as `(key, message)` so that all of them are reported at once.
struct Problems {
    path: PathBuf,
    found: Vec<InputError>,
}

impl Problems {
    fn add(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.found.push(InputError::Invalid {
            path: self.path.clone(),
            key: key.into(),
            message: message.into(),
        });
    }

    fn positive(&mut self, key: &str, v: Decimal) {
        if v <= Decimal::ZERO {
            self.add(key, format!("must be positive, found {v}"));
        }
    }

    /// Refuses values past a bound that keeps every product in the engine inside
    /// the exact decimal range (so no arithmetic can overflow).
    fn at_most(&mut self, key: &str, v: Decimal, max: Decimal, what: &str) {
        if v > max {
            self.add(
                key,
                format!("{v} is larger than the {what} this tool models ({max})"),
            );
        }
    }

    fn shares_at_most(&mut self, key: &str, v: u64) {
        if v > MAX_SHARES {
            self.add(
                key,
                format!("{v} shares is more than the {MAX_SHARES} this tool models"),
            );
        }
    }

    /// A required, positive, bounded principal at `{key}.principal`.
    fn principal(&mut self, key: &str, value: Option<Dec>, what: &str) -> Decimal {
        let key = format!("{key}.principal");
        match value {
            Some(x) => {
                self.positive(&key, x.0);
                self.at_most(&key, x.0, MAX_PRINCIPAL, "principal");
                x.0
            }
            None => {
                self.add(key, format!("missing: every {what} needs a principal"));
                Decimal::ZERO
            }
        }
    }

    fn fraction_open(&mut self, key: &str, v: Decimal) {
        if v <= Decimal::ZERO || v >= Decimal::ONE {
            self.add(key, format!("must be strictly between 0 and 1, found {v}"));
        }
    }

    fn day_count(&mut self, key: &str, name: Option<&str>, default: DayCount) -> DayCount {
        match name {
            None => default,
            Some(n) => DayCount::parse(n).unwrap_or_else(|| {
                let names: Vec<_> = DayCount::ALL.iter().map(|d| d.name()).collect();
                self.add(
                    key,
                    format!(
                        "unknown day count \"{n}\"; expected one of {}",
                        names.join(", ")
                    ),
                );
                default
            }),
        }
    }
}

fn compile(raw: RawScenario, path: &Path) -> Result<Scenario, InputError> {
    let mut p = Problems {
        path: path.to_path_buf(),
        found: Vec::new(),
    };
    let (start, end) = (raw.start.0, raw.end.0);
    if start > end {
        p.add("start", format!("start {start} is after end {end}"));
    }
    if raw.name.trim().is_empty() {
        p.add("name", "must not be empty");
    }

    let d = &raw.defaults;
    let default_rate = d.rate.map(|x| x.0);
    let default_dc = p.day_count(
        "defaults.day_count",
        d.day_count.as_deref(),
        DayCount::Thirty360,
    );
    let default_prepay = match d.prepayment.as_deref() {
        None => Prepayment::Shorten,
        Some(s) => prepayment(&mut p, "defaults.prepayment", s),
    };

    let company = company(&mut p, &raw.company);
    let holder = holder(&mut p, raw.holder.as_ref());
    let conversion = conversion(&mut p, raw.conversion.as_ref(), company.par_value);

    let mut ids = HashSet::new();
    let mut notes = Vec::new();
    for (i, n) in raw.notes.iter().enumerate() {
        let key = format!("notes[{i}]");
        if !ids.insert(n.id.clone()) {
            p.add(format!("{key}.id"), format!("duplicate id \"{}\"", n.id));
        }
        let rate = rate(&mut p, &key, n.rate, default_rate);
        let dc = p.day_count(
            &format!("{key}.day_count"),
            n.day_count.as_deref(),
            default_dc,
        );
        let principal = p.principal(&key, n.principal, "note");
        let repayment = match n.kind.as_str() {
            "bullet" => match n.maturity {
                Some(m) => {
                    if m.0 <= n.issue.0 {
                        p.add(
                            format!("{key}.maturity"),
                            format!("{} is not after the issue date {}", m.0, n.issue.0),
                        );
                    }
                    for k in ["installments", "first_payment"] {
                        let given = if k == "installments" {
                            n.installments.is_some()
                        } else {
                            n.first_payment.is_some()
                        };
                        if given {
                            p.add(
                                format!("{key}.{k}"),
                                "only amortizing notes have installments",
                            );
                        }
                    }
                    Repayment::Bullet { maturity: m.0 }
                }
                None => {
                    p.add(
                        format!("{key}.maturity"),
                        "missing: a bullet note needs a maturity date",
                    );
                    Repayment::Bullet {
                        maturity: n.issue.0,
                    }
                }
            },
            "amortizing" => {
                let installments = n.installments.unwrap_or_else(|| {
                    p.add(
                        format!("{key}.installments"),
                        "missing: an amortizing note needs installments",
                    );
                    1
                });
                if installments == 0 {
                    p.add(format!("{key}.installments"), "must be at least 1");
                }
                let first_payment = n.first_payment.map(|x| x.0).unwrap_or_else(|| {
                    p.add(
                        format!("{key}.first_payment"),
                        "missing: an amortizing note needs its first payment date",
                    );
                    n.issue.0
                });
                if first_payment <= n.issue.0 {
                    p.add(
                        format!("{key}.first_payment"),
                        format!("{first_payment} is not after the issue date {}", n.issue.0),
                    );
                }
                if n.maturity.is_some() {
                    let m = add_months(first_payment, installments.max(1) - 1);
                    if n.maturity.map(|x| x.0) != Some(m) {
                        p.add(
                            format!("{key}.maturity"),
                            format!("does not match the last installment, {m}"),
                        );
                    }
                }
                let prepayment = match n.prepayment.as_deref() {
                    None => default_prepay,
                    Some(s) => prepayment(&mut p, &format!("{key}.prepayment"), s),
                };
                Repayment::Amortizing {
                    installments: installments.max(1),
                    first_payment,
                    prepayment,
                }
            }
            other => {
                p.add(
                    format!("{key}.kind"),
                    format!("unknown kind \"{other}\"; expected \"bullet\" or \"amortizing\""),
                );
                Repayment::Bullet {
                    maturity: n.issue.0,
                }
            }
        };
        let parts: Vec<Part> = n
            .parts
            .iter()
            .map(|x| Part {
                label: x.label.clone(),
                amount: x.amount.0,
                exchange: x.exchange,
            })
            .collect();
        if !parts.is_empty() {
            let sum: Decimal = parts.iter().map(|x| x.amount).sum();
            if sum != principal {
                p.add(
                    format!("{key}.parts"),
                    format!("sum to {sum}, not the principal {principal}"),
                );
            }
        }
        let note = NoteTerms {
            id: n.id.clone(),
            principal,
            issue: n.issue.0,
            rate,
            day_count: dc,
            repayment,
            parts,
        };
        if let Some(first) = note.payment_dates().first() {
            if *first < start {
                p.add(key.clone(), format!("its first payment {first} is before start {start}; start the scenario earlier"));
            }
        }
        notes.push(note);
    }

    let mut tranches = Vec::new();
    for (i, t) in raw.tranches.iter().enumerate() {
        let key = format!("tranches[{i}]");
        if !ids.insert(t.id.clone()) {
            p.add(format!("{key}.id"), format!("duplicate id \"{}\"", t.id));
        }
        // A tranche after `end` is never reached (check warns); one before `start`
        // would have been decided in the past, which a scenario cannot say.
        if t.date.0 < start {
            p.add(
                format!("{key}.date"),
                format!("{} is before start {start}", t.date.0),
            );
        }
        let principal = p.principal(&key, t.principal, "tranche");
        let term_months = t.term_months.or(d.term_months).unwrap_or_else(|| {
            p.add(
                format!("{key}.term_months"),
                "missing: how many months until the tranche's note matures",
            );
            12
        });
        if term_months == 0 {
            p.add(format!("{key}.term_months"), "must be at least 1");
        }
        let min = t.min_dollar_volume.or(d.min_dollar_volume).map(|x| x.0);
        let condition = min.map(|min| {
            if min < Decimal::ZERO {
                p.add(
                    format!("{key}.min_dollar_volume"),
                    format!("cannot be negative, found {min}"),
                );
            }
            let lookback_days = t.lookback_days.or(d.lookback_days).unwrap_or(20);
            if lookback_days == 0 {
                p.add(format!("{key}.lookback_days"), "must be at least 1");
            }
            DollarVolumeTest {
                min,
                lookback_days: lookback_days.max(1),
            }
        });
        tranches.push(Tranche {
            id: t.id.clone(),
            date: t.date.0,
            principal,
            term_months: term_months.max(1),
            rate: rate(&mut p, &key, t.rate, default_rate),
            day_count: p.day_count(
                &format!("{key}.day_count"),
                t.day_count.as_deref(),
                default_dc,
            ),
            condition,
        });
    }

    let actions = actions(&mut p, &raw.actions, start, end);
    let holders = holders::holders(&mut p, &raw.holders, start);
    holders::ownership(
        &mut p,
        raw.split.as_ref().and_then(|t| t.ownership.as_ref()),
        company.outstanding,
        holder.shares,
        &holders,
        start,
    );
    holders::split_table(&mut p, raw.split.as_ref());
    let named: u128 =
        holders.iter().map(|h| h.shares as u128).sum::<u128>() + holder.shares as u128;
    if named > company.outstanding as u128 {
        p.add(
            "holders",
            format!(
                "the holder and the named holders own {named} shares, more than the {} outstanding",
                company.outstanding
            ),
        );
    }

    let prices = raw.prices.as_ref().map(|rel| {
        let base = path.parent().unwrap_or_else(|| Path::new(""));
        base.join(rel)
    });

    match p.found.len() {
        0 => Ok(Scenario {
            name: raw.name,
            description: raw.description,
            start,
            end,
            prices,
            company,
            holder,
            conversion,
            notes,
            tranches,
            actions,
            holders,
            split: raw.split,
            simulate: raw.simulate,
        }),
        1 => Err(p.found.remove(0)),
        _ => Err(InputError::Many(p.found)),
    }
}

fn rate(p: &mut Problems, key: &str, own: Option<Dec>, default: Option<Decimal>) -> Decimal {
    match own.map(|x| x.0).or(default) {
        Some(r) => {
            if r < Decimal::ZERO {
                p.add(
                    format!("{key}.rate"),
                    format!("cannot be negative, found {r}"),
                );
            }
            r
        }
        None => {
            p.add(
                format!("{key}.rate"),
                "missing: give the note a rate or set [defaults] rate",
            );
            Decimal::ZERO
        }
    }
}

fn prepayment(p: &mut Problems, key: &str, s: &str) -> Prepayment {
    match s {
        "shorten" => Prepayment::Shorten,
        "reamortize" => Prepayment::Reamortize,
        other => {
            p.add(
                key,
                format!("unknown prepayment \"{other}\"; expected \"shorten\" or \"reamortize\""),
            );
            Prepayment::Shorten
        }
    }
}

fn company(p: &mut Problems, c: &RawCompany) -> Company {
    p.positive("company.par_value", c.par_value.0);
    p.at_most("company.par_value", c.par_value.0, MAX_PRICE, "price");
    p.shares_at_most("company.outstanding", c.outstanding.0);
    p.shares_at_most("company.authorized", c.authorized.0);
    if c.outstanding.0 == 0 {
        p.add("company.outstanding", "must be at least 1 share");
    }
    for (i, r) in c.reserved.iter().enumerate() {
        p.shares_at_most(&format!("company.reserved[{i}].shares"), r.shares.0);
    }
    let reserved: Vec<ReservedPool> = c
        .reserved
        .iter()
        .map(|r| ReservedPool {
            name: r.name.clone(),
            shares: r.shares.0,
        })
        .collect();
    let committed =
        c.outstanding.0 as u128 + reserved.iter().map(|r| r.shares as u128).sum::<u128>();
    if committed > u64::MAX as u128 {
        p.add(
            "company.reserved",
            "outstanding plus reserved shares overflow a share count",
        );
    }
    Company {
        par_value: c.par_value.0,
        outstanding: c.outstanding.0,
        authorized: c.authorized.0,
        reserved,
    }
}

fn holder(p: &mut Problems, h: Option<&RawHolder>) -> Holder {
    let Some(h) = h else {
        return Holder {
            name: "Investor".into(),
            shares: 0,
            policy: Policy::Hold,
            sell_share: Decimal::ZERO,
            daily_limit: None,
        };
    };
    let policy = match h.policy.as_deref() {
        None | Some("convert-and-sell") => Policy::ConvertAndSell,
        Some("hold") => Policy::Hold,
        Some(other) => {
            p.add(
                "holder.policy",
                format!("unknown policy \"{other}\"; expected \"hold\" or \"convert-and-sell\""),
            );
            Policy::Hold
        }
    };
    let sell_share = match (policy, h.sell_share) {
        (_, Some(s)) => {
            if s.0 < Decimal::ZERO || s.0 > Decimal::ONE {
                p.add(
                    "holder.sell_share",
                    format!(
                        "must be between 0 and 1 (a share of each day's volume), found {}",
                        s.0
                    ),
                );
            }
            s.0
        }
        (Policy::ConvertAndSell, None) => {
            p.add("holder.sell_share", "missing: with policy \"convert-and-sell\", say what share of each day's volume the holder sells (e.g. \"0.10\")");
            Decimal::ZERO
        }
        (Policy::Hold, None) => Decimal::ZERO,
    };
    if let Some(l) = h.daily_limit {
        p.positive("holder.daily_limit", l.0);
        p.at_most("holder.daily_limit", l.0, MAX_PRINCIPAL, "amount");
    }
    p.shares_at_most("holder.shares", h.shares.0);
    Holder {
        name: h.name.clone().unwrap_or_else(|| "Investor".into()),
        shares: h.shares.0,
        policy,
        sell_share,
        daily_limit: h.daily_limit.map(|x| x.0),
    }
}

fn conversion(p: &mut Problems, c: Option<&RawConversion>, par: Decimal) -> ConversionTerms {
    let empty = RawConversion {
        vwap_days: None,
        discount: None,
        prior_bid: None,
        fixed_price: None,
        floor: None,
        cap: None,
        apply: None,
        on_shortfall: None,
    };
    let c = c.unwrap_or(&empty);
    // Defaults are the 8-K's terms (MODEL.md §4); `check` prints them resolved.
    let vwap_days = c.vwap_days.unwrap_or(5);
    let discount = c.discount.map(|x| x.0).unwrap_or(Decimal::new(85, 2));
    if vwap_days > 0 {
        p.positive("conversion.discount", discount);
    }
    let cap = c.cap.map(|x| x.0).unwrap_or(Decimal::new(999, 4));
    p.fraction_open("conversion.cap", cap);
    if cap.scale() > 18 {
        p.add("conversion.cap", "has more than 18 decimal places");
    }
    if let Some(f) = c.fixed_price {
        p.positive("conversion.fixed_price", f.0);
        p.at_most("conversion.fixed_price", f.0, MAX_PRICE, "price");
    }
    if let Some(f) = c.floor {
        p.positive("conversion.floor", f.0);
        p.at_most("conversion.floor", f.0, MAX_PRICE, "price");
    }
    p.at_most("conversion.discount", discount, MAX_RATE, "discount");
    let prior_bid = c.prior_bid.unwrap_or(true);
    if vwap_days == 0 && !prior_bid && c.fixed_price.is_none() {
        p.add(
            "conversion",
            "no price component is enabled: set vwap_days > 0, prior_bid = true or fixed_price",
        );
    }
    let _ = par;
    let apply = match c.apply.as_deref() {
        None | Some("interest-first") => Apply::InterestFirst,
        Some("principal-first") => Apply::PrincipalFirst,
        Some(other) => {
            p.add(
                "conversion.apply",
                format!("unknown \"{other}\"; expected \"interest-first\" or \"principal-first\""),
            );
            Apply::InterestFirst
        }
    };
    let on_shortfall = match c.on_shortfall.as_deref() {
        None | Some("cut") => OnShortfall::Cut,
        Some("error") => OnShortfall::Error,
        Some(other) => {
            p.add(
                "conversion.on_shortfall",
                format!("unknown \"{other}\"; expected \"cut\" or \"error\""),
            );
            OnShortfall::Cut
        }
    };
    ConversionTerms {
        vwap_days,
        discount,
        prior_bid,
        fixed_price: c.fixed_price.map(|x| x.0),
        floor: c.floor.map(|x| x.0),
        cap,
        apply,
        on_shortfall,
    }
}

fn actions(p: &mut Problems, raw: &[RawAction], start: NaiveDate, end: NaiveDate) -> Vec<Action> {
    let mut out = Vec::new();
    for (i, a) in raw.iter().enumerate() {
        let key = format!("actions[{i}]");
        let date = a.date.0;
        if date < start || date > end {
            p.add(
                format!("{key}.date"),
                format!("{date} is outside the scenario's window {start} .. {end}"),
            );
        }
        let kind = match a.kind.as_str() {
            "split" => {
                let ratio = match a.ratio.map(|x| x.0) {
                    None => {
                        p.add(
                            format!("{key}.ratio"),
                            "missing: a split needs its ratio k (1-for-k)",
                        );
                        2
                    }
                    Some(r) if r.fract() != Decimal::ZERO || r < Decimal::TWO => {
                        p.add(
                            format!("{key}.ratio"),
                            format!("must be a whole number of at least 2 (1-for-k), found {r}"),
                        );
                        2
                    }
                    Some(r) if r > Decimal::from(MAX_SPLIT_RATIO) => {
                        p.add(
                            format!("{key}.ratio"),
                            format!(
                                "{r} is larger than the 1-for-{MAX_SPLIT_RATIO} this tool models"
                            ),
                        );
                        2
                    }
                    Some(r) => u64::try_from(r).unwrap_or(2),
                };
                let post_split_factor = a.post_split_factor.map(|x| x.0).unwrap_or(Decimal::ONE);
                p.positive(&format!("{key}.post_split_factor"), post_split_factor);
                p.at_most(
                    &format!("{key}.post_split_factor"),
                    post_split_factor,
                    MAX_RATE,
                    "post-split factor",
                );
                if a.authorized.is_some() {
                    p.add(
                        format!("{key}.authorized"),
                        "belongs to an \"authorize\" action, not a split",
                    );
                }
                ActionKind::Split {
                    ratio,
                    post_split_factor,
                    adjust_prices: a.adjust_prices.unwrap_or(false),
                }
            }
            "authorize" => {
                let authorized = a.authorized.map(|x| x.0).unwrap_or_else(|| {
                    p.add(
                        format!("{key}.authorized"),
                        "missing: the new authorized share count",
                    );
                    0
                });
                for (k, given) in [
                    ("ratio", a.ratio.is_some()),
                    ("post_split_factor", a.post_split_factor.is_some()),
                    ("adjust_prices", a.adjust_prices.is_some()),
                ] {
                    if given {
                        p.add(
                            format!("{key}.{k}"),
                            "belongs to a \"split\" action, not \"authorize\"",
                        );
                    }
                }
                ActionKind::Authorize { authorized }
            }
            other => {
                p.add(
                    format!("{key}.kind"),
                    format!("unknown action \"{other}\"; expected \"split\" or \"authorize\""),
                );
                continue;
            }
        };
        out.push(Action { date, kind });
    }
    // The engine keeps the product of the split ratios as a whole number (look-back
    // factors, dilution_pct): it must fit a u64.
    let product = out.iter().try_fold(1u64, |acc, a| match a.kind {
        ActionKind::Split { ratio, .. } => acc.checked_mul(ratio),
        ActionKind::Authorize { .. } => Some(acc),
    });
    if product.is_none() {
        p.add(
            "actions",
            format!("the split ratios multiply to more than {}", u64::MAX),
        );
    }
    out
}
