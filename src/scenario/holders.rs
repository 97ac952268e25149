//! Validation of `[[holders]]` (named holders, their grants and Form 4 trades),
//! `[split]` and `[split.ownership]`: the inputs of the `split` command (MODEL.md §7-8).
//! Problems are collected, each naming its key, like the rest of the scenario.

use std::collections::HashSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::raw::{RawNamedHolder, RawOptionGrant};
use super::tables::{RawOwnershipTable, RawSplitTable};
use super::{MAX_PRICE, MAX_SHARES, Problems};
use crate::money::Shares;
use crate::split::RatioRange;
use crate::terms::{
    NamedHolder, OptionGrant, OwnershipGroup, OwnershipTerms, RsuGrant, Trade, Vesting,
};

/// The SEC's "acquirable within 60 days" (Rule 13d-3(d)(1)), as the proxy applies it.
pub const DEFAULT_WINDOW_DAYS: u32 = 60;

/// `[[holders]]` → named holders. `start` bounds the trades: a holder's `shares` is
/// the holding at `start`, after every trade listed.
pub(super) fn holders(
    p: &mut Problems,
    raw: &[RawNamedHolder],
    start: NaiveDate,
) -> Vec<NamedHolder> {
    let mut names = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, h) in raw.iter().enumerate() {
        let key = format!("holders[{i}]");
        if h.name.trim().is_empty() {
            p.add(format!("{key}.name"), "must not be empty");
        } else if !names.insert(h.name.clone()) {
            p.add(
                format!("{key}.name"),
                format!("duplicate holder \"{}\"", h.name),
            );
        }
        p.shares_at_most(&format!("{key}.shares"), h.shares.0);
        if h.restricted_stock.0 > h.shares.0 {
            p.add(
                format!("{key}.restricted_stock"),
                format!(
                    "{} shares of restricted stock, more than the {} shares held (restricted stock is counted in `shares`)",
                    h.restricted_stock.0, h.shares.0
                ),
            );
        }
        let options = h
            .options
            .iter()
            .enumerate()
            .map(|(j, g)| option_grant(p, &format!("{key}.options[{j}]"), g))
            .collect();
        let rsus = h
            .rsus
            .iter()
            .map(|r| RsuGrant {
                shares: r.shares.0,
                vests: r.vests.map(|d| d.0),
            })
            .collect();
        let trades: Vec<Trade> = h
            .trades
            .iter()
            .map(|t| Trade {
                date: t.date.0,
                shares: t.shares.0,
                price: t.price.0,
            })
            .collect();
        check_trades(p, &key, &trades, h.shares.0, start);
        for (k, v) in [
            ("options_vested", h.options_vested.0),
            ("options_unvested", h.options_unvested.0),
        ] {
            p.shares_at_most(&format!("{key}.{k}"), v);
        }
        for (j, r) in h.rsus.iter().enumerate() {
            p.shares_at_most(&format!("{key}.rsus[{j}].shares"), r.shares.0);
        }
        let group = h.group.as_ref().map(|g| {
            if g.trim().is_empty() {
                p.add(format!("{key}.group"), "must not be empty");
            }
            g.clone()
        });
        let filed_pct = h
            .filed_percent
            .map(|x| percent(p, &format!("{key}.filed_percent"), x.0));
        out.push(NamedHolder {
            name: h.name.clone(),
            shares: h.shares.0,
            restricted_stock: h.restricted_stock.0,
            options_vested: h.options_vested.0,
            options_unvested: h.options_unvested.0,
            options,
            rsus,
            trades,
            group,
            filed_shares: h.filed_shares.map(|x| x.0),
            filed_pct,
        });
    }
    out
}

/// A percentage as printed ("31.10") → a fraction (0.3110).
fn percent(p: &mut Problems, key: &str, v: Decimal) -> Decimal {
    if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
        p.add(
            key,
            format!("a percentage as printed, between 0 and 100 (\"31.10\" for 31.10%), found {v}"),
        );
    }
    v / Decimal::ONE_HUNDRED
}

fn option_grant(p: &mut Problems, key: &str, g: &RawOptionGrant) -> OptionGrant {
    let vested = g.vested.map(|x| x.0).unwrap_or_else(|| {
        p.add(
            format!("{key}.vested"),
            "missing: how many of the grant's shares are exercisable now (write 0 if none)",
        );
        0
    });
    p.shares_at_most(&format!("{key}.shares"), g.shares.0);
    if let Some(price) = g.exercise_price {
        p.positive(&format!("{key}.exercise_price"), price.0);
        p.at_most(
            &format!("{key}.exercise_price"),
            price.0,
            MAX_PRICE,
            "price",
        );
    }
    let vesting: Vec<Vesting> = g
        .vesting
        .iter()
        .map(|v| Vesting {
            date: v.date.0,
            shares: v.shares.0,
        })
        .collect();
    let scheduled = vesting
        .iter()
        .fold(vested as u128, |acc, v| acc + v.shares as u128);
    if scheduled > g.shares.0 as u128 {
        p.add(
            format!("{key}.vesting"),
            format!(
                "vested ({vested}) plus the vesting schedule make {scheduled} shares, more than the grant's {}",
                g.shares.0
            ),
        );
    }
    OptionGrant {
        shares: g.shares.0,
        exercise_price: g.exercise_price.map(|x| x.0),
        vested,
        vesting,
        expires: g.expires.map(|d| d.0),
    }
}

/// A Form 4 ledger must be dated in order, on or before `start`, and never hold a
/// negative number of shares: the holding before the first trade is
/// `shares − Σ trades` (MODEL.md §8).
fn check_trades(p: &mut Problems, key: &str, trades: &[Trade], held: Shares, start: NaiveDate) {
    let mut previous: Option<NaiveDate> = None;
    for (j, t) in trades.iter().enumerate() {
        let k = format!("{key}.trades[{j}]");
        if t.shares == 0 {
            p.add(
                format!("{k}.shares"),
                "a trade of 0 shares: + for acquired, - for disposed of",
            );
        }
        if t.date > start {
            p.add(
                format!("{k}.date"),
                format!(
                    "{} is after start {start}: `shares` is the holding at start, after every trade",
                    t.date
                ),
            );
        }
        if previous.is_some_and(|d| t.date < d) {
            p.add(
                format!("{k}.date"),
                format!(
                    "{} is before the trade above it; list trades in order",
                    t.date
                ),
            );
        }
        previous = Some(t.date);
        p.positive(&format!("{k}.price"), t.price);
        p.at_most(&format!("{k}.price"), t.price, MAX_PRICE, "price");
        if t.shares.unsigned_abs() > MAX_SHARES {
            p.add(
                format!("{k}.shares"),
                format!(
                    "{} shares is more than the {MAX_SHARES} this tool models",
                    t.shares
                ),
            );
        }
    }
    match crate::split::ownership::ledger(held, trades) {
        Ok(_) => {}
        Err(e) => p.add(format!("{key}.trades"), e),
    }
}

/// `[split.ownership]` with its defaults; checks that the named holders fit in its
/// outstanding count and that every group line has members.
pub(super) fn ownership(
    p: &mut Problems,
    raw: Option<&RawOwnershipTable>,
    company_outstanding: Shares,
    investor: Shares,
    holders: &[NamedHolder],
    start: NaiveDate,
) -> OwnershipTerms {
    let empty = RawOwnershipTable::default();
    let raw = raw.unwrap_or(&empty);
    let outstanding = raw.outstanding.map(|x| x.0).unwrap_or(company_outstanding);
    if outstanding == 0 {
        p.add("split.ownership.outstanding", "must be at least 1 share");
    }
    if raw.outstanding.is_some() {
        p.shares_at_most("split.ownership.outstanding", outstanding);
        let named = holders
            .iter()
            .fold(investor as u128, |acc, h| acc + h.shares as u128);
        if named > outstanding as u128 {
            p.add(
                "split.ownership.outstanding",
                format!("the holder and the named holders own {named} shares, more than these {outstanding}"),
            );
        }
    }
    let window_days = raw.window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
    let mut groups: Vec<OwnershipGroup> = Vec::new();
    for (i, g) in raw.groups.iter().enumerate() {
        let key = format!("split.ownership.groups[{i}]");
        if groups.iter().any(|x| x.name == g.name) {
            p.add(
                format!("{key}.name"),
                format!("duplicate group \"{}\"", g.name),
            );
            continue;
        }
        if !holders
            .iter()
            .any(|h| h.group.as_deref() == Some(g.name.as_str()))
        {
            p.add(
                format!("{key}.name"),
                format!("no holder has group = \"{}\"", g.name),
            );
        }
        groups.push(OwnershipGroup {
            name: g.name.clone(),
            filed_shares: g.filed_shares.map(|x| x.0),
            filed_pct: g
                .filed_percent
                .map(|x| percent(p, &format!("{key}.filed_percent"), x.0)),
        });
    }
    for h in holders {
        if let Some(g) = &h.group {
            if !groups.iter().any(|x| &x.name == g) {
                groups.push(OwnershipGroup {
                    name: g.clone(),
                    filed_shares: None,
                    filed_pct: None,
                });
            }
        }
    }
    OwnershipTerms {
        as_of: raw.as_of.map(|d| d.0).unwrap_or(start),
        outstanding: outstanding.max(1),
        window_days,
        groups,
    }
}

/// `[split]`: the ratio range parses and the price is positive.
pub(super) fn split_table(p: &mut Problems, raw: Option<&RawSplitTable>) {
    let Some(t) = raw else { return };
    if let Some(r) = &t.ratios {
        if let Err(e) = RatioRange::parse(r) {
            p.add("split.ratios", e);
        }
    }
    if let Some(price) = t.price {
        p.positive("split.price", price.0);
        p.at_most("split.price", price.0, MAX_PRICE, "price");
    }
}
