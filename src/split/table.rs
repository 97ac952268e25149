//! The proxy's share table ("Principal Effects of the Reverse Stock Split": "The
//! following table contains approximate information relating to our common stock
//! under certain of the possible exchange ratios"), for every whole ratio of a range.
//!
//! Each count is kept three ways (MODEL.md §9): the exact division (10,235,381.2),
//! the count our rules give (every holder of record rounded up, the float as one
//! holder; pools and grants rounded down) and the nearest whole share, which is what
//! the proxy prints for the outstanding shares (10,235,381). The proxy's "authorized
//! but unissued and unreserved" line prints the exact figure (113,864,618.8).
//!
//! Pure: no I/O.

use rust_decimal::Decimal;

use super::{Exact, Holdings, RatioRange, split_grant, split_pool, split_price};
use crate::money::Shares;
use crate::terms::{NamedHolder, ReservedPool};

/// What the table starts from: the company on one date.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot<'a> {
    pub authorized: Shares,
    pub outstanding: Shares,
    pub reserved: &'a [ReservedPool],
    /// The noteholder (`[holder]`), when it holds shares or notes.
    pub investor: Option<(&'a str, Shares)>,
    pub holders: &'a [NamedHolder],
}

/// One count after a split, three ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// The exact division.
    pub exact: Exact,
    /// By our rules (MODEL.md §9): holdings up, pools and grants down.
    pub rounded: i128,
    /// The nearest whole share (halves away from zero).
    pub nearest: i128,
}

impl Cell {
    fn unchanged(n: i128) -> Cell {
        Cell {
            exact: Exact::whole(n),
            rounded: n,
            nearest: n,
        }
    }

    fn up(n: Shares, k: u64) -> Cell {
        let e = Exact::div(n as i128, k);
        Cell {
            exact: e,
            rounded: e.ceil(),
            nearest: e.nearest(),
        }
    }

    fn down(n: Shares, k: u64) -> Cell {
        let e = Exact::div(n as i128, k);
        Cell {
            exact: e,
            rounded: e.floor(),
            nearest: e.nearest(),
        }
    }
}

/// One grant of one holder after a split.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantCell {
    pub holder: String,
    /// "options at $0.68, expiring 2021-08-04", "options (vested, no price given)", "RSUs".
    pub label: String,
    /// Shares under the grant: exact, rounded down (one grant), nearest.
    pub shares: Cell,
    /// The exercise price × k.
    pub exercise_price: Option<Decimal>,
}

/// One column of the table: "Current" (ratio 1) or "1-For-k Split".
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub ratio: u64,
    pub authorized: Shares,
    pub outstanding: Cell,
    /// Per reserved pool, in the scenario's order.
    pub pools: Vec<Cell>,
    /// Authorized but unissued and unreserved: authorized − outstanding − reserved.
    pub headroom: Cell,
    pub investor: Option<Cell>,
    /// Per named holder, in the scenario's order.
    pub holders: Vec<Cell>,
    /// The unnamed public float, rounded up as one holder.
    pub float: Cell,
    /// The price at `price` × k × post_split_factor (the proxy: "five times greater
    /// than $0.67, or $3.35").
    pub implied_price: Option<Decimal>,
    pub grants: Vec<GrantCell>,
}

/// The whole table.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareTable {
    pub authorized: Shares,
    pub pool_names: Vec<String>,
    pub investor_name: Option<String>,
    pub holder_names: Vec<String>,
    pub price: Option<Decimal>,
    pub post_split_factor: Decimal,
    /// "Current" first, then each ratio of the range.
    pub columns: Vec<Column>,
}

/// The table for every ratio of `ratios`, after a "Current" column.
pub fn build(
    snap: &Snapshot,
    ratios: RatioRange,
    price: Option<Decimal>,
    post_split_factor: Decimal,
) -> Result<ShareTable, String> {
    let named: Vec<Shares> = snap.holders.iter().map(|h| h.shares).collect();
    let investor = snap.investor.map(|(_, s)| s).unwrap_or(0);
    let holdings = Holdings::new(snap.outstanding, investor, &named)?;
    let mut columns = Vec::with_capacity(ratios.len() as usize + 1);
    for k in std::iter::once(1).chain(ratios.ratios()) {
        columns.push(column(snap, &holdings, k, price, post_split_factor)?);
    }
    Ok(ShareTable {
        authorized: snap.authorized,
        pool_names: snap.reserved.iter().map(|p| p.name.clone()).collect(),
        investor_name: snap.investor.map(|(n, _)| n.to_string()),
        holder_names: snap.holders.iter().map(|h| h.name.clone()).collect(),
        price,
        post_split_factor,
        columns,
    })
}

fn column(
    snap: &Snapshot,
    holdings: &Holdings,
    k: u64,
    price: Option<Decimal>,
    factor: Decimal,
) -> Result<Column, String> {
    let split = holdings.split(k);
    let pools: Vec<Cell> = snap
        .reserved
        .iter()
        .map(|p| {
            let mut c = Cell::down(p.shares, k);
            c.rounded = split_pool(p.shares, k) as i128;
            c
        })
        .collect();
    let outstanding = {
        let e = Exact::div(snap.outstanding as i128, k);
        Cell {
            exact: e,
            rounded: split.outstanding() as i128,
            nearest: e.nearest(),
        }
    };
    let authorized = snap.authorized as i128;
    let reserved: i128 = snap.reserved.iter().map(|p| p.shares as i128).sum();
    let headroom = Cell {
        exact: Exact::div(
            authorized * k as i128 - snap.outstanding as i128 - reserved,
            k,
        ),
        rounded: authorized - outstanding.rounded - pools.iter().map(|c| c.rounded).sum::<i128>(),
        nearest: authorized - outstanding.nearest - pools.iter().map(|c| c.nearest).sum::<i128>(),
    };
    let implied_price =
        match price {
            Some(p) if k == 1 => Some(p),
            Some(p) => Some(split_price(p, k, factor).ok_or_else(|| {
                format!("the price {p} × {k} × {factor} leaves the decimal range")
            })?),
            None => None,
        };
    let mut grants = Vec::new();
    for h in snap.holders {
        grants.extend(grant_cells(h, k)?);
    }
    Ok(Column {
        ratio: k,
        authorized: snap.authorized,
        outstanding,
        pools,
        headroom,
        investor: snap.investor.map(|(_, s)| Cell::up(s, k)),
        holders: snap.holders.iter().map(|h| Cell::up(h.shares, k)).collect(),
        float: if k == 1 {
            Cell::unchanged(holdings.float as i128)
        } else {
            Cell::up(holdings.float, k)
        },
        implied_price,
        grants,
    })
}

/// Every grant of a holder after a 1-for-k split: option grants, the legacy
/// vested/unvested counts and RSUs, each one grant rounded down.
fn grant_cells(h: &NamedHolder, k: u64) -> Result<Vec<GrantCell>, String> {
    let mut out = Vec::new();
    let cell = |label: String, shares: Shares, price: Option<Decimal>| GrantCell {
        holder: h.name.clone(),
        label,
        shares: Cell::down(shares, k),
        exercise_price: price,
    };
    for g in &h.options {
        let after = split_grant(g, k).ok_or_else(|| {
            format!(
                "{}: an exercise price × {k} leaves the decimal range",
                h.name
            )
        })?;
        let mut label = match g.exercise_price {
            Some(p) => format!("options at ${}", crate::money::plain(p)),
            None => "options (no price given)".to_string(),
        };
        if let Some(e) = g.expires {
            label.push_str(&format!(", expiring {e}"));
        }
        out.push(cell(label, g.shares, after.exercise_price));
    }
    if h.options_vested > 0 {
        out.push(cell(
            "options, vested (no price given)".into(),
            h.options_vested,
            None,
        ));
    }
    if h.options_unvested > 0 {
        out.push(cell(
            "options, unvested (no price given)".into(),
            h.options_unvested,
            None,
        ));
    }
    for r in &h.rsus {
        let label = match r.vests {
            Some(d) => format!("RSUs vesting {d}"),
            None => "RSUs".to_string(),
        };
        out.push(cell(label, r.shares, None));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn pools() -> Vec<ReservedPool> {
        [1_200_000, 300_000, 1_800_000, 1_200_000]
            .iter()
            .enumerate()
            .map(|(i, &s)| ReservedPool {
                name: format!("pool {i}"),
                shares: s,
            })
            .collect()
    }

    #[test]
    fn the_proxy_s_company_lines_at_1_for_5_and_1_for_10() {
        let reserved = pools();
        let snap = Snapshot {
            authorized: 125_000_000,
            outstanding: 51_176_906,
            reserved: &reserved,
            investor: None,
            holders: &[],
        };
        let t = build(&snap, RatioRange::PROXY, Some(dec!(0.67)), Decimal::ONE).unwrap();
        assert_eq!(t.columns.len(), 7);
        let c5 = &t.columns[1];
        assert_eq!(c5.outstanding.exact.to_decimal(), Some(dec!(10235381.2)));
        assert_eq!(c5.outstanding.nearest, 10_235_381);
        assert_eq!(c5.outstanding.rounded, 10_235_382);
        assert_eq!(c5.headroom.exact.to_decimal(), Some(dec!(113864618.8)));
        assert_eq!(c5.implied_price, Some(dec!(3.35)));
        let c10 = &t.columns[6];
        assert_eq!(c10.outstanding.nearest, 5_117_691);
        assert_eq!(c10.headroom.exact.to_decimal(), Some(dec!(119432309.4)));
        assert_eq!(t.columns[0].headroom.rounded, 69_323_094);
    }
}
